"""Back up and restore the embedded default: the SQLite file and the uploads.

A backup is a gzipped tar archive holding `manifest.json`, `db.sqlite3` and
`media/`. The database is copied with SQLite's online backup API, which
reads a consistent state even while the server writes, so a backup can be
made without stopping EDN. The manifest names the format, the checksum of
the database copy and the migrations applied to it, so a restore can refuse
an archive that is not an EDN backup, is damaged, or comes from a newer EDN.

A restore checks all of that before it changes anything, keeps the current
database as `db.sqlite3.before-restore-<time>` (and the uploads folder next
to it the same way), then copies the backup in, again through the backup
API so connections still open see a whole database.

PostgreSQL sites use pg_dump and pg_restore instead (README, "Backups").
"""

import hashlib
import json
import logging
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

logger = logging.getLogger(__name__)

FORMAT = "edn-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "db.sqlite3"
MEDIA = "media"
STAMP = "%Y%m%d-%H%M%S"


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says why."""


@dataclass
class Restored:
    database: Path
    kept_database: Path | None
    kept_media: Path | None
    manifest: dict
    missing_migrations: list[str]


def copy_database(source, target):
    """Copy one SQLite file to another with the online backup API."""
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(target, timeout=30)
    try:
        with writer:
            reader.backup(writer)
    except sqlite3.Error as error:
        raise BackupError(f"could not copy {source} to {target} ({error})") from error
    finally:
        writer.close()
        reader.close()


def applied_migrations(database):
    """Return {app: [migration names]} applied to an SQLite file."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT app, name FROM django_migrations ORDER BY app, name"
        ).fetchall()
    except sqlite3.DatabaseError as error:
        raise BackupError(
            f"the database holds no EDN migration state ({error})"
        ) from error
    finally:
        connection.close()
    state = {}
    for app, name in rows:
        state.setdefault(app, []).append(name)
    return state


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_backup(database, media_root, output_dir, moment=None):
    """Write a backup archive into `output_dir` and return its path."""
    database, media_root = Path(database), Path(media_root)
    output_dir = Path(output_dir)
    if not database.is_file():
        raise BackupError(f"there is no database file at {database}")
    output_dir.mkdir(parents=True, exist_ok=True)
    moment = moment or timezone.now()
    target = output_dir / f"edn-{moment:{STAMP}}.tar.gz"
    if target.exists():
        raise BackupError(f"{target} exists already; wait a second and run again")

    with tempfile.TemporaryDirectory(dir=output_dir) as work:
        copy = Path(work) / DATABASE
        copy_database(database, copy)
        media_files = (
            sorted(p for p in media_root.rglob("*") if p.is_file())
            if media_root.is_dir()
            else []
        )
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": moment.isoformat(),
            "database": {"file": DATABASE, "sha256": _sha256(copy)},
            "media_files": len(media_files),
            "migrations": applied_migrations(copy),
        }
        manifest_path = Path(work) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))

        partial = Path(work) / target.name
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(manifest_path, arcname=MANIFEST)
            archive.add(copy, arcname=DATABASE)
            for path in media_files:
                name = PurePosixPath(MEDIA, *path.relative_to(media_root).parts)
                archive.add(path, arcname=str(name))
        partial.replace(target)
    logger.info(
        "backup %s: database %d bytes, %d media files",
        target,
        database.stat().st_size,
        len(media_files),
    )
    return target


def _safe_members(archive):
    """Return the archive's members, refusing any that could land elsewhere."""
    members = archive.getmembers()
    for member in members:
        path = PurePosixPath(member.name)
        outside = path.is_absolute() or ".." in path.parts
        allowed = member.name in (MANIFEST, DATABASE) or path.parts[0] == MEDIA
        if outside or not allowed or not (member.isfile() or member.isdir()):
            raise BackupError(f"it holds {member.name!r}, which no EDN backup has")
    return members


def read_backup(archive_path, work):
    """Unpack and check a backup into `work`; return its manifest.

    Raise BackupError naming the first problem; nothing outside `work` is
    touched.
    """
    archive_path, work = Path(archive_path), Path(work)
    if not archive_path.is_file():
        raise BackupError(f"there is no file at {archive_path}")
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            members = _safe_members(archive)
            names = {m.name for m in members}
            if MANIFEST not in names or DATABASE not in names:
                raise BackupError("it has no EDN manifest and database")
            for member in members:
                archive.extract(member, work, set_attrs=False, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"it is not a readable .tar.gz archive ({error})") from error

    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except ValueError:
        raise BackupError("its manifest is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("its manifest does not describe an EDN backup")
    if manifest.get("version") != VERSION:
        raise BackupError(f"it is format version {manifest.get('version')!r}")
    copy = work / DATABASE
    if _sha256(copy) != manifest.get("database", {}).get("sha256"):
        raise BackupError("its database does not match the manifest's checksum")
    _check_database(copy, manifest)
    return manifest


def _check_database(copy, manifest):
    connection = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(
            f"its database is not an SQLite database ({error})"
        ) from error
    finally:
        connection.close()
    if verdict != "ok":
        raise BackupError(f"its database fails SQLite's integrity check: {verdict}")
    if applied_migrations(copy) != manifest.get("migrations"):
        raise BackupError("its database's migrations differ from the manifest's")


def migration_gap(manifest):
    """Return (unknown here, not yet applied) migrations of a backup.

    Unknown migrations mean the backup came from a newer EDN than this code.
    """
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    applied = {
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
    }
    ours = {label.split(".")[0] for label in known}
    unknown = sorted(m for m in applied - known if m.split(".")[0] in ours)
    return unknown, sorted(known - applied)


def restore_backup(archive_path, database, media_root, moment=None):
    """Check a backup, keep the current data aside, and restore the backup."""
    database, media_root = Path(database), Path(media_root)
    moment = moment or timezone.now()
    database.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=database.parent) as work:
        manifest = read_backup(archive_path, work)
        unknown, missing = migration_gap(manifest)
        if unknown:
            raise BackupError(
                "it was made by a newer EDN (migrations "
                + ", ".join(unknown)
                + " are unknown here); update EDN first"
            )

        stamp = f"before-restore-{moment:{STAMP}}"
        kept_database = None
        if database.exists():
            kept_database = database.with_name(f"{database.name}.{stamp}")
            copy_database(database, kept_database)
        kept_media = None
        if media_root.exists():
            kept_media = media_root.with_name(f"{media_root.name}.{stamp}")
            media_root.rename(kept_media)

        copy_database(Path(work) / DATABASE, database)
        restored_media = Path(work) / MEDIA
        if restored_media.is_dir():
            shutil.copytree(restored_media, media_root)
        else:
            media_root.mkdir(parents=True)
    logger.info("restored %s into %s; kept %s", archive_path, database, kept_database)
    return Restored(database, kept_database, kept_media, manifest, missing)
