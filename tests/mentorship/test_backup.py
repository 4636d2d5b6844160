"""`make backup` / `make restore`: a backup restored into a fresh database holds every
organisation, person, consent, pair and document, and the document files come back."""

from __future__ import annotations

import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from mentorship.backup import BackupError, backup_create, backup_restore, read_manifest
from mentorship.models import Document
from mentorship.tenancy.scoping import tenant_scope
from tests.factories import make_consented, make_pair
from tests.mentorship.test_documents import PDF_STUB, make_ready_document

pytestmark = pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="the restore test creates a PostgreSQL database of its own",
)


def _admin_conn(db: dict):
    params = {k.lower(): db[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if db.get(k)}
    return psycopg.connect(dbname="postgres", autocommit=True, **params)


@pytest.fixture
def fresh_database():
    db = dict(connection.settings_dict)
    db["NAME"] = f"restore_{uuid.uuid4().hex[:12]}"
    with _admin_conn(db) as conn:
        conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
    yield db
    with _admin_conn(db) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')


def _count(db: dict, table: str) -> int:
    params = {k.lower(): db[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if db.get(k)}
    with psycopg.connect(dbname=db["NAME"], **params) as conn:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_every_file(
    cast, tmp_path, settings, fresh_database, standard_forms
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    make_consented(cast.school, last_name="Восстановленова")
    make_pair(cast.school)
    make_pair(cast.other_school)
    document = make_ready_document(cast.school, number="5")
    with tenant_scope(cast.school):
        file_name = Document.objects.get(pk=document.pk).file.name

    archive = backup_create(out_dir=tmp_path / "backups", media_root=tmp_path / "media")
    assert archive.name.startswith("mentorship-backup-") and archive.name.endswith(".tar.gz")
    manifest = read_manifest(archive)
    counts = manifest["counts"]
    assert counts["registry_pair"] == 2 and counts["registry_participant"] >= 5

    restored_media = tmp_path / "restored-media"
    backup_restore(path=archive, db=fresh_database, media_root=restored_media)
    for table in (
        "mentorship_organization",
        "mentorship_user",
        "mentorship_membership",
        "registry_participant",
        "registry_consent",
        "registry_pair",
        "mentorship_document",
    ):
        assert _count(fresh_database, table) == counts[table] > 0, table
    assert (restored_media / file_name).read_bytes() == PDF_STUB

    # A second restore into a database that now holds a portal is refused without --force.
    with pytest.raises(BackupError, match="already holds organisations"):
        backup_restore(path=archive, db=fresh_database, media_root=restored_media)
    backup_restore(path=archive, db=fresh_database, media_root=restored_media, force=True)
    assert _count(fresh_database, "registry_pair") == 2


def test_restore_refuses_what_is_not_a_backup_and_unsafe_archives(tmp_path, db):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="не является|not a portal backup"):
        call_command("restore", str(junk))
    with pytest.raises(CommandError, match="не найден"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))

    evil = tmp_path / "evil.tar.gz"
    payload = tmp_path / "manifest.json"
    payload.write_text('{"engine": "postgresql", "counts": {}, "media_files": 0}')
    with tarfile.open(evil, "w:gz") as archive:
        archive.add(payload, arcname="manifest.json")
        archive.add(payload, arcname="../escaped.json")
    target = dict(connection.settings_dict, NAME="nonexistent_never_created")
    with pytest.raises(BackupError, match="unsafe path"):
        backup_restore(path=evil, db=target, media_root=tmp_path / "m", force=True)
    assert not (tmp_path.parent / "escaped.json").exists()


def test_make_backup_command_prints_the_archive(cast, tmp_path, settings, capsys):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    Path(settings.MEDIA_ROOT).mkdir()
    call_command("backup", "--out", str(tmp_path / "b"))
    out = capsys.readouterr().out
    assert "Резервная копия:" in out
    assert len(list((tmp_path / "b").glob("mentorship-backup-*.tar.gz"))) == 1
