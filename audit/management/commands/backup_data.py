"""Back up the embedded default: the SQLite database and the uploads."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.backups import BackupError, make_backup
from audit.log import record_event
from audit.models import AuditEvent

NOT_SQLITE = (
    "{command} copies the embedded SQLite database, but this site runs on "
    "{engine}. Back it up with pg_dump and restore it with pg_restore, as "
    'the README\'s "Backups" section describes.'
)


def sqlite_database(command):
    """Return the SQLite file of the default database, or refuse clearly."""
    database = settings.DATABASES["default"]
    engine = database["ENGINE"]
    if not engine.endswith("sqlite3"):
        raise CommandError(
            NOT_SQLITE.format(command=command, engine=engine.rsplit(".", 1)[-1])
        )
    name = str(database["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise CommandError(f"{command} needs a database file, not {name!r}.")
    return Path(name)


class Command(BaseCommand):
    help = (
        "Write backups/edn-YYYYmmdd-HHMMSS.tar.gz: a consistent copy of the "
        "SQLite database (safe while the server runs), the uploads folder "
        "and a manifest with the migration state."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=str(Path(settings.BASE_DIR) / "backups"),
            help="folder to write the archive to (default: backups/)",
        )

    def handle(self, *args, **options):
        database = sqlite_database("backup_data")
        try:
            archive = make_backup(database, settings.MEDIA_ROOT, options["output_dir"])
        except BackupError as error:
            raise CommandError(f"No backup made: {error}.") from error

        size = archive.stat().st_size
        record_event(
            AuditEvent.Action.BACKUP,
            f"Backup {archive.name} written ({size} bytes)",
            details={"file": archive.name, "bytes": size},
        )
        self.stdout.write(f"Backup written to {archive} ({size:,} bytes).")
