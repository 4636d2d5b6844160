"""Real headless Chromium from Debian, driven by Playwright (never `playwright install`)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package.")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ru-RU", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def shot(page):
    """Save a full-page screenshot under test-artifacts/ (kept by CI as artefacts)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def demo(transactional_db, tmp_path_factory):
    """The demo region in the live server's database. Built by `load_demo` once per run;
    later journeys get the same rows back from a data-only dump of it (pg_restore takes
    a second, load_demo twenty on a busy machine). The demo writes no media files."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql" or not shutil.which("pg_restore"):
        call_command("load_demo", verbosity=0)
        return
    if _DEMO_DUMP:
        _truncate_all(connection)
        _pg(
            "pg_restore", "--data-only", "--disable-triggers", "--single-transaction", _DEMO_DUMP[0]
        )
        return
    call_command("load_demo", verbosity=0)
    dump = tmp_path_factory.mktemp("demo") / "demo.dump"
    _pg(
        "pg_dump", "--data-only", "--format=custom", "--exclude-table=django_migrations", "-f", dump
    )
    _DEMO_DUMP.append(dump)


# The demo's data-only dump, taken the first time a journey asks for the demo.
_DEMO_DUMP: list[Path] = []


def _pg(program: str, *args) -> None:
    """Run a PostgreSQL client program against the test database."""
    from django.db import connection

    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    target = [
        "--host", db.get("HOST") or "127.0.0.1",
        "--port", str(db.get("PORT") or 5432),
        "--username", db.get("USER") or "postgres",
        "--dbname", db["NAME"],
    ]  # fmt: skip
    subprocess.run([program, *target, *map(str, args)], env=env, check=True, capture_output=True)


def _truncate_all(connection) -> None:
    """Empty every table but the migration history (whatever the last test left)."""
    tables = [t for t in connection.introspection.table_names() if t != "django_migrations"]
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE"
        )
