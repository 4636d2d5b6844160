"""A real Celery worker in its own process, for tests that kill it with SIGKILL.

`python -m tests.workerproc` runs one worker (solo pool: the task runs in the worker's
own process, so SIGKILL ends both at once) with tests/worker_settings.py. Environment:
TEST_QUEUE_PREFIX (the test's own queues: PREFIX + mail, documents, heavy),
TEST_QUEUES (which of them this worker consumes, comma-separated; all by default),
TEST_MAIL_DIR, DATABASE_URL (the test database), REDIS_URL, MEDIA_ROOT,
SLOW_MAIL_SECONDS (a pause before each letter), SLOW_RENDER_SECONDS (before each PDF).

`WorkerProcess` starts and kills it from a test; `letters_in` reads what it mailed;
`own_queues` routes the test process's tasks to the test's own queues.
"""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

ROOT = Path(__file__).resolve().parents[1]


class SlowFileBackend(BaseEmailBackend):
    """One file per letter, written whole (rename) after a pause: readable from outside."""

    def send_messages(self, messages) -> int:
        folder = Path(os.environ["TEST_MAIL_DIR"])
        pause = float(os.environ.get("SLOW_MAIL_SECONDS", "0"))
        for message in messages:
            time.sleep(pause)
            name = uuid.uuid4().hex
            partial = folder / f".{name}.tmp"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(folder / f"{name}.eml")
        return len(messages)


def letters_in(folder: Path) -> list[email.message.Message]:
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


class WorkerProcess:
    """A worker process on the test's queue; `kill()` is SIGKILL, `stop()` a clean end."""

    def __init__(
        self,
        *,
        prefix: str,
        mail_dir: Path,
        database: str,
        media_root: Path,
        queues: tuple[str, ...] = ("mail", "documents", "heavy"),
        **env,
    ):
        self.log = mail_dir.parent / f"worker-{uuid.uuid4().hex[:8]}.log"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "PYTHONPATH": str(ROOT),
            "TEST_QUEUE_PREFIX": prefix,
            "TEST_QUEUES": ",".join(prefix + queue for queue in queues),
            "TEST_MAIL_DIR": str(mail_dir),
            "DATABASE_URL": database,
            "MEDIA_ROOT": str(media_root),
            **{key: str(value) for key, value in env.items()},
        }
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [sys.executable, "-m", "tests.workerproc"],
                cwd=ROOT,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def own_queues(app, prefix: str) -> Iterator[None]:
    """Send this process's tasks to PREFIX + their queue (mentorship/queues.py), not eagerly."""
    from mentorship import queues

    conf = app.conf
    previous = (conf.task_always_eager, conf.task_default_queue, conf.task_routes)
    conf.task_always_eager = False
    conf.task_default_queue = prefix + queues.DEFAULT_QUEUE
    conf.task_routes = queues.routes(prefix)
    _flush_router(app)
    try:
        yield
    finally:
        conf.task_always_eager, conf.task_default_queue, conf.task_routes = previous
        _flush_router(app)
        for queue in queues.QUEUES:
            drop_queue(app, prefix + queue)


def _flush_router(app) -> None:
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)  # a cached_property built from the old routes


def queue_length(app, queue: str) -> int:
    with app.connection_for_write() as connection:
        return connection.default_channel.client.llen(queue)


def drop_queue(app, queue: str) -> None:
    """Forget the queue and any unacknowledged message of it left by a killed worker."""
    with app.connection_for_write() as connection:
        client = connection.default_channel.client
        client.delete(queue)
        for tag, payload in client.hgetall("unacked").items():
            if queue.encode() in payload:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)


def main() -> None:
    import django

    django.setup()
    from mentorship.documents import services

    pause = float(os.environ.get("SLOW_RENDER_SECONDS", "0"))
    if pause:
        real_render = services.render_pdf

        def slow_render(*args, **kwargs):
            time.sleep(pause)
            return real_render(*args, **kwargs)

        services.render_pdf = slow_render

    from mentorship.celery import app

    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            f"--queues={os.environ['TEST_QUEUES']}",
            f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
        ]
    )


if __name__ == "__main__":
    main()
