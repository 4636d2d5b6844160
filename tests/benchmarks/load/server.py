"""A portal of its own for the load benchmarks: a scratch database and gunicorn.

gunicorn is a separate process, so it cannot see pytest's test database: a load bench
creates a scratch database on the same PostgreSQL server, migrates and seeds it in
subprocesses, serves it with gunicorn on a free port of 127.0.0.1, and always stops
gunicorn and drops the database afterwards.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[3]
VENV_BIN = Path(sys.executable).parent


def server_url() -> urllib.parse.ParseResult:
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/mentorship"
    return urllib.parse.urlparse(url)


def admin(dbname: str = "postgres") -> psycopg.Connection:
    u = server_url()
    return psycopg.connect(
        host=u.hostname,
        port=u.port or 5432,
        user=u.username,
        password=u.password,
        dbname=dbname,
        autocommit=True,
    )


@contextlib.contextmanager
def scratch_database(name: str, **settings: str) -> Iterator[dict[str, str]]:
    """A migrated scratch database; yields the environment for its subprocesses."""
    with admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": urllib.parse.urlunparse(server_url()._replace(path=f"/{name}")),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-secret-key-0123456789-abcdefgh",
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
        **settings,
    }
    try:
        manage(env, "migrate", "--noinput", "-v0")
        yield env
    finally:
        with admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout,
        capture_output=True,
        text=True,
    )
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(port: int, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited before serving")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *args: str, workers: int = 2) -> Iterator[tuple[int, int]]:
    """gunicorn serving the portal on a free port; yields (port, master pid)."""
    port = free_port()
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "mentorship.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            *args,
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        _wait_until_up(port, proc)
        yield port, proc.pid
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (Linux /proc), 0 for vanished ones."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def server_pids(gunicorn_pid: int, dbname: str) -> tuple[list[int], list[int]]:
    """The gunicorn master and workers; the PostgreSQL backends of the database."""
    children = Path(f"/proc/{gunicorn_pid}/task/{gunicorn_pid}/children").read_text().split()
    with admin() as conn:
        backends = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (dbname,)
        ).fetchall()
    return [gunicorn_pid, *map(int, children)], [pid for (pid,) in backends]
