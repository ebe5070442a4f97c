"""Backups of the embedded default: made while it runs, restored whole."""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from audit.backups import BackupError, make_backup, restore_backup

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def migrated_database(tmp_path_factory):
    """Return an SQLite file with every EDN migration applied."""
    path = tmp_path_factory.mktemp("template") / "db.sqlite3"
    subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{path}"},
        check=True,
        capture_output=True,
    )
    return path


@pytest.fixture
def site(tmp_path, migrated_database):
    """Return (database, media folder) of a site of its own, with one upload."""
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated_database, database)
    media = tmp_path / "media"
    (media / "rosters").mkdir(parents=True)
    (media / "rosters" / "2026.csv").write_text("name\nOld Town Clinic\n")
    write(database, "INSERT INTO auth_group (name) VALUES ('in the backup')")
    return database, media


def write(database, *statements):
    connection = sqlite3.connect(database)
    with connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()


def dump(database):
    connection = sqlite3.connect(database)
    lines = list(connection.iterdump())
    connection.close()
    return lines


def groups(database):
    connection = sqlite3.connect(database)
    names = [row[0] for row in connection.execute("SELECT name FROM auth_group")]
    connection.close()
    return sorted(names)


def audit_actions(database):
    connection = sqlite3.connect(database)
    rows = connection.execute("SELECT action FROM audit_auditevent ORDER BY id")
    actions = [row[0] for row in rows]
    connection.close()
    return actions


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_restore_brings_back_exactly_what_was_backed_up(site, tmp_path):
    database, media = site
    archive = make_backup(database, media, tmp_path / "backups")
    backed_up = dump(database)

    write(
        database,
        "DELETE FROM auth_group",
        "INSERT INTO auth_group (name) VALUES ('after the backup')",
    )
    (media / "rosters" / "2027.csv").write_text("name\n")
    restored = restore_backup(archive, database, media)

    assert dump(database) == backed_up
    assert sorted(p.name for p in (media / "rosters").iterdir()) == ["2026.csv"]
    assert groups(restored.kept_database) == ["after the backup"]
    assert (restored.kept_media / "rosters" / "2027.csv").exists()
    assert restored.kept_database.name.startswith("db.sqlite3.before-restore-")
    assert restored.missing_migrations == []


def test_a_backup_leaves_out_a_transaction_still_open(site, tmp_path):
    database, media = site
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO auth_group (name) VALUES ('not committed')")

    archive = make_backup(database, media, tmp_path / "backups")
    writer.execute("COMMIT")
    writer.close()

    with tarfile.open(archive) as opened:
        opened.extract("db.sqlite3", tmp_path / "out", filter="data")
    assert groups(tmp_path / "out" / "db.sqlite3") == ["in the backup"]
    assert groups(database) == ["in the backup", "not committed"]


def test_the_manifest_records_the_migration_state(site, tmp_path):
    database, media = site

    archive = make_backup(database, media, tmp_path / "backups")

    with tarfile.open(archive) as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
    assert manifest["format"] == "edn-backup"
    assert "0001_initial" in manifest["migrations"]["audit"]
    assert manifest["media_files"] == 1
    assert archive.name.startswith("edn-") and archive.name.endswith(".tar.gz")


def archive_of(path, files):
    """Write a .tar.gz holding {name: bytes}."""
    with tarfile.open(path, "w:gz") as archive:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return path


def tampered(site, tmp_path, change):
    """Return a real backup whose database or manifest `change` has edited.

    The checksum is written afresh, so only the change can be the problem.
    """
    database, media = site
    archive = make_backup(database, media, tmp_path / "backups")
    work = tmp_path / "tampering"
    with tarfile.open(archive) as opened:
        opened.extractall(work, filter="data")
    manifest = json.loads((work / "manifest.json").read_text())
    manifest["database"]["sha256"] = digest(work / "db.sqlite3")
    change(manifest, work / "db.sqlite3")
    files = {
        "manifest.json": json.dumps(manifest).encode(),
        "db.sqlite3": (work / "db.sqlite3").read_bytes(),
    }
    return archive_of(tmp_path / "tampered.tar.gz", files)


def newer_migration(manifest, copy):
    write(
        copy,
        "INSERT INTO django_migrations (app, name, applied) "
        "VALUES ('surveys', '9999_from_the_future', '2030-01-01')",
    )
    manifest["migrations"]["surveys"].append("9999_from_the_future")
    manifest["database"]["sha256"] = digest(copy)


def other_checksum(manifest, copy):
    manifest["database"]["sha256"] = "0" * 64


def missing(site, tmp_path):
    return tmp_path / "missing.tar.gz"


def garbage(site, tmp_path):
    path = tmp_path / "notes.tar.gz"
    path.write_bytes(b"plain words, not an archive")
    return path


def foreign(site, tmp_path):
    return archive_of(tmp_path / "photos.tar.gz", {"cat.jpg": b"\xff\xd8"})


def escaping(site, tmp_path):
    files = {"manifest.json": b"{}", "db.sqlite3": b"", "media/../../x": b"!"}
    return archive_of(tmp_path / "escape.tar.gz", files)


def other_format(site, tmp_path):
    files = {"manifest.json": b'{"format": "other"}', "db.sqlite3": b"x"}
    return archive_of(tmp_path / "foreign.tar.gz", files)


def damaged(site, tmp_path):
    return tampered(site, tmp_path, other_checksum)


def newer(site, tmp_path):
    return tampered(site, tmp_path, newer_migration)


@pytest.mark.parametrize(
    "make_archive, reason",
    [
        (missing, "there is no file"),
        (garbage, "not a readable .tar.gz archive"),
        (foreign, "which no EDN backup has"),
        (escaping, "which no EDN backup has"),
        (other_format, "does not describe an EDN backup"),
        (damaged, "checksum"),
        (newer, "made by a newer EDN"),
    ],
)
def test_a_refused_archive_leaves_the_current_data_untouched(
    site, tmp_path, make_archive, reason
):
    database, media = site
    archive = make_archive(site, tmp_path)
    before = digest(database)

    with pytest.raises(BackupError, match=reason):
        restore_backup(archive, database, media)

    assert digest(database) == before
    assert (media / "rosters" / "2026.csv").exists()
    assert not list(tmp_path.glob("*before-restore*"))


def test_the_commands_refuse_postgresql_and_point_at_pg_dump(monkeypatch):
    engine = "django.db.backends.postgresql"
    monkeypatch.setitem(settings.DATABASES["default"], "ENGINE", engine)

    for command in ["backup_data", "restore_data"]:
        arguments = [] if command == "backup_data" else ["backups/x.tar.gz"]
        with pytest.raises(CommandError, match="pg_dump") as refused:
            call_command(command, *arguments)
        assert "postgresql" in str(refused.value)


def make(*arguments, database, media, backups):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(media),
        "BACKUP_DIR": str(backups),
    }
    return subprocess.run(
        ["make", "--no-print-directory", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_make_backup_and_make_restore_round_trip(site, tmp_path):
    database, media = site
    backups = tmp_path / "backups"
    places = {"database": database, "media": media, "backups": backups}

    made = make("backup", **places)
    assert made.returncode == 0, made.stderr
    (archive,) = backups.glob("edn-*.tar.gz")
    assert audit_actions(database) == ["data.backup"]
    write(database, "INSERT INTO auth_group (name) VALUES ('after the backup')")

    unnamed = make("restore", **places)
    assert unnamed.returncode != 0
    assert "make restore FILE=" in unnamed.stdout
    refused = make(f"FILE={tmp_path / 'nothing.tar.gz'}", "restore", **places)
    assert refused.returncode != 0
    assert "The current database is untouched" in refused.stderr
    assert groups(database) == ["after the backup", "in the backup"]

    restored = make(f"FILE={archive}", "restore", **places)
    assert restored.returncode == 0, restored.stderr
    assert groups(database) == ["in the backup"]
    assert len(list(tmp_path.glob("db.sqlite3.before-restore-*"))) == 1
    # The backup's own entry is written after the copy, so only the restore's.
    assert audit_actions(database) == ["data.restore"]
