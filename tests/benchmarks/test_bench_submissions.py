"""Questionnaire submissions through gunicorn on two workers: at least 200 a second.

A bounded load test against 127.0.0.1 only. gunicorn is a separate process, so it cannot
see pytest's test database: the bench creates a scratch database of its own on the same
PostgreSQL server, migrates and seeds it in subprocesses, starts gunicorn on a free port
with the public rate limit off (two worker processes, four threads each), posts 3,000
complete answers (one per personal link, each a first submission) from 8 client threads
for at most 15 s, then always stops gunicorn and drops the database. Run by `make bench`
(marker `bench`).

The client shares the two cores with the server, and on a shared machine so does
everything else: besides the sustained rate the bench prints the server's own CPU time
per submission (gunicorn and PostgreSQL, from /proc), i.e. what two idle cores sustain.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest

from tests.benchmarks.load.submissions import fire

pytestmark = pytest.mark.bench

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SUBMISSIONS = 3000
WARMUP = 200
THREADS = int(os.environ.get("BENCH_CLIENT_THREADS", "8"))
MAX_SECONDS = 15
REQUIRED_RATE = 200
# Two processes (two cores); threads let one request's CPU work overlap another's wait
# for PostgreSQL's commit.
GUNICORN_ARGS = os.environ.get("BENCH_GUNICORN_ARGS", "--worker-class gthread --threads 4").split()


def _server_url() -> urllib.parse.ParseResult:
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/mentorship"
    return urllib.parse.urlparse(url)


def _admin(dbname: str = "postgres") -> psycopg.Connection:
    u = _server_url()
    return psycopg.connect(
        host=u.hostname,
        port=u.port or 5432,
        user=u.username,
        password=u.password,
        dbname=dbname,
        autocommit=True,
    )


def _cpu_seconds(pids: list[int]) -> float:
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


def _server_pids(gunicorn_pid: int, dbname: str) -> tuple[list[int], list[int]]:
    """The gunicorn master and workers; the PostgreSQL backends of the database."""
    children = Path(f"/proc/{gunicorn_pid}/task/{gunicorn_pid}/children").read_text().split()
    with _admin() as conn:
        backends = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (dbname,)
        ).fetchall()
    return [gunicorn_pid, *map(int, children)], [pid for (pid,) in backends]


def _free_port() -> int:
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


@pytest.fixture
def scratch_env():
    """A scratch database, migrated; yields the environment for its subprocesses."""
    name = f"mentorship_bench_submissions_{os.getpid()}"
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    u = _server_url()
    env = {
        **os.environ,
        "DATABASE_URL": urllib.parse.urlunparse(u._replace(path=f"/{name}")),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-only-secret-key-0123456789-abcdefgh",
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MONITORING_PUBLIC_RATE_LIMIT": "0",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "60",
    }
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
            capture_output=True,
        )
        yield env
    finally:
        with _admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_submissions_through_gunicorn(scratch_env):
    seeded = subprocess.run(
        [sys.executable, "tests/benchmarks/load/submissions.py", "seed", str(SUBMISSIONS + WARMUP)],
        cwd=ROOT,
        env=scratch_env,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    )
    data = json.loads(seeded.stdout.strip().splitlines()[-1])
    tokens, answers = data["tokens"], [tuple(a) for a in data["answers"]]

    port = _free_port()
    gunicorn = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "mentorship.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=scratch_env,
        start_new_session=True,
    )
    try:
        _wait_until_up(port, gunicorn)
        # Warm-up: imports, connections and the questionnaire cache of both workers.
        fire(port, tokens[:WARMUP], answers, threads=THREADS, max_seconds=MAX_SECONDS)
        dbname = urllib.parse.urlparse(scratch_env["DATABASE_URL"]).path.lstrip("/")
        web, db = _server_pids(gunicorn.pid, dbname)
        web_before, db_before = _cpu_seconds(web), _cpu_seconds(db)
        load_before = os.getloadavg()[0]
        result = fire(port, tokens[WARMUP:], answers, threads=THREADS, max_seconds=MAX_SECONDS)
        web_cpu, db_cpu = _cpu_seconds(web) - web_before, _cpu_seconds(db) - db_before
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        try:
            gunicorn.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(gunicorn.pid, signal.SIGKILL)
            gunicorn.wait()

    with psycopg.connect(scratch_env["DATABASE_URL"]) as conn:
        stored = conn.execute(
            "SELECT count(*) FROM monitoring_response WHERE invitation_id IN "
            "(SELECT id FROM monitoring_invitation WHERE token = ANY(%s))",
            (tokens[WARMUP:],),
        ).fetchone()[0]
        answer_rows = conn.execute("SELECT count(*) FROM monitoring_answer").fetchone()[0]

    print(
        f"\nBENCH submissions through gunicorn: {result.rate:.0f}/s sustained, "
        f"p95 {result.p95_ms():.0f} ms ({result.ok} of {SUBMISSIONS} in "
        f"{result.finished - result.started:.1f} s, {THREADS} client threads, 2 workers; "
        f"{answer_rows} answer rows)"
    )
    # The machine may be shared: the server's own CPU per submission says what two idle
    # cores would sustain, whatever else was running (load average shown).
    web_ms, db_ms = (1000 * cpu / max(result.ok, 1) for cpu in (web_cpu, db_cpu))
    per = web_ms + db_ms
    print(
        f"BENCH submissions: server CPU {per:.2f} ms per submission (gunicorn {web_ms:.2f} + "
        f"PostgreSQL {db_ms:.2f}) = {2000 / per if per else 0:.0f}/s on two idle cores; "
        f"load average {load_before:.1f} when it started"
    )
    assert result.statuses == {302: SUBMISSIONS}, result.statuses
    assert stored == SUBMISSIONS
    assert result.rate >= REQUIRED_RATE
