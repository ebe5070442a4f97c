"""Restore the embedded default from an archive that backup_data wrote."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from audit.backups import BackupError, restore_backup
from audit.log import record_event
from audit.management.commands.backup_data import sqlite_database
from audit.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Check an EDN backup archive, keep the current database as "
        "db.sqlite3.before-restore-<time> and the uploads folder beside it, "
        "then restore the archive's database and uploads."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a backups/edn-*.tar.gz file")

    def handle(self, *args, **options):
        database = sqlite_database("restore_data")
        archive = options["archive"]

        connections.close_all()
        try:
            restored = restore_backup(archive, database, settings.MEDIA_ROOT)
        except BackupError as error:
            raise CommandError(
                f"Nothing restored: {archive} is refused because {error}. "
                "The current database is untouched."
            ) from error

        if restored.kept_database:
            self.stdout.write(f"The database before: {restored.kept_database}")
        if restored.kept_media:
            self.stdout.write(f"The uploads before: {restored.kept_media}")
        self.stdout.write(
            f"Restored the backup of {restored.manifest['created_at']} "
            f"into {restored.database}."
        )
        missing = restored.missing_migrations
        if missing:
            self.stdout.write(
                f"The backup lacks {len(missing)} newer migrations; run "
                "`manage.py migrate` (make restore does)."
            )
        # A backup from before the audit log has no table to record it in.
        if not any(label.startswith("audit.") for label in missing):
            self._record(archive, restored)

    def _record(self, archive, restored):
        record_event(
            AuditEvent.Action.RESTORE,
            f"Backup of {restored.manifest['created_at']} restored",
            details={
                "file": str(archive).rsplit("/", 1)[-1],
                "kept_database": str(restored.kept_database or ""),
            },
        )
