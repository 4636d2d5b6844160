"""Backup and restore: the database and the uploaded/generated files in one dated archive.

The archive (`mentorship-backup-YYYYMMDD-HHMMSS.tar.gz`) holds
- `manifest.json`: when, which engine, the applied migrations, row counts of the main
  tables (so a restore can be checked against what was backed up),
- `database.dump`: `pg_dump --format=custom` of PostgreSQL, or `database.sqlite3`, a
  consistent copy of the embedded SQLite file made with SQLite's online backup API,
- `media/...`: every file under MEDIA_ROOT (consent scans, evidence, generated PDFs).

Restore refuses a database that already holds organisations unless told `force`, so a
typo in DATABASE_URL cannot overwrite a live portal with last week's copy.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import connections
from django.utils import timezone

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA_DIR = "media"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


def _is_postgres(db: Mapping[str, Any]) -> bool:
    return "postgresql" in db["ENGINE"]


def _pg_env(db: Mapping[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: Mapping[str, Any]) -> list[str]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args


def _run(args: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(args, env=env, check=True, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError:
        raise BackupError(f"{args[0]} is not installed (Debian: postgresql-client)") from None
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{args[0]} failed: {exc.stderr.strip() or exc.returncode}") from None


def table_counts(db_alias: str = "default") -> dict[str, int]:
    """Rows per table: the manifest records them and a restore is checked against them."""
    connection = connections[db_alias]
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _migrations(db_alias: str = "default") -> list[str]:
    with connections[db_alias].cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def backup_create(*, out_dir: Path, media_root: Path, db_alias: str = "default") -> Path:
    """Write one archive into `out_dir` and return its path."""
    db = connections[db_alias].settings_dict
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = out_dir / f"mentorship-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        if _is_postgres(db):
            dump = work_dir / PG_DUMP
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump)]
                + _pg_args(db)
                + [str(db["NAME"])],
                _pg_env(db),
            )
        else:
            # The online backup API copies a consistent state even while the portal writes.
            source = sqlite3.connect(str(db["NAME"]))
            copy = sqlite3.connect(str(work_dir / SQLITE_COPY))
            with copy:
                source.backup(copy)
            source.close()
            copy.close()
        manifest = {
            "created_at": timezone.now().isoformat(),
            "engine": "postgresql" if _is_postgres(db) else "sqlite",
            "migrations": _migrations(db_alias),
            "counts": table_counts(db_alias),
            "media_files": sum(1 for p in media_root.rglob("*") if p.is_file())
            if media_root.exists()
            else 0,
        }
        (work_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
        partial = target.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work_dir / MANIFEST, arcname=MANIFEST)
            name = PG_DUMP if _is_postgres(db) else SQLITE_COPY
            archive.add(work_dir / name, arcname=name)
            if media_root.exists():
                archive.add(media_root, arcname=MEDIA_DIR)
        # Renamed only when complete: a half-written archive never looks like a backup.
        partial.rename(target)
    return target


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return json.loads(member.read())
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{path} is not a portal backup: {exc}") from None


def _target_holds_data(db: Mapping[str, Any]) -> bool:
    if _is_postgres(db):
        import psycopg

        params = {k.lower(): db[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if db.get(k)}
        with psycopg.connect(dbname=db["NAME"], **params) as conn:
            row = conn.execute(
                "SELECT to_regclass('mentorship_organization') IS NOT NULL"
            ).fetchone()
            if not row[0]:
                return False
            return conn.execute("SELECT EXISTS (SELECT 1 FROM mentorship_organization)").fetchone()[
                0
            ]
    path = Path(db["NAME"])
    if not path.exists():
        return False
    conn = sqlite3.connect(str(path))
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "mentorship_organization" not in tables:
            return False
        return conn.execute("SELECT EXISTS (SELECT 1 FROM mentorship_organization)").fetchone()[0]
    finally:
        conn.close()


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    """Refuse absolute paths, `..` and links: an archive must not write outside its place."""
    members = []
    for member in archive.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or member.issym() or member.islnk():
            raise BackupError(f"unsafe path in the archive: {member.name}")
        members.append(member)
    return members


def backup_restore(
    *, path: Path, db: Mapping[str, Any], media_root: Path, force: bool = False
) -> dict[str, Any]:
    """Restore the archive into the database `db` (a DATABASES entry) and `media_root`."""
    manifest = read_manifest(path)
    engine = "postgresql" if _is_postgres(db) else "sqlite"
    if manifest["engine"] != engine:
        raise BackupError(f"the backup is of {manifest['engine']}, the target is {engine}")
    if not force and _target_holds_data(db):
        raise BackupError(
            "the target database already holds organisations; restore into an empty "
            "database, or pass --force to replace its contents"
        )
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r:gz") as archive:
        work_dir = Path(work)
        archive.extractall(work_dir, members=_safe_members(archive), filter="data")
        if engine == "postgresql":
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--exit-on-error",
                    "--dbname",
                    str(db["NAME"]),
                ]
                + _pg_args(db)
                + [str(work_dir / PG_DUMP)],
                _pg_env(db),
            )
        else:
            target = Path(db["NAME"])
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(work_dir / SQLITE_COPY, target)
        media = work_dir / MEDIA_DIR
        if media.exists():
            media_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(media, media_root, dirs_exist_ok=True)
    manifest["restored_at"] = datetime.datetime.now(datetime.UTC).isoformat()
    return manifest
