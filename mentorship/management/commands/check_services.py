"""Say plainly whether PostgreSQL and Redis answer, and how to start the one that does not."""

import sys

import redis
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
START_REDIS = 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'


class Command(BaseCommand):
    help = "Проверяет, что PostgreSQL и Redis для тестов доступны."

    def handle(self, *args, **options) -> None:
        problems = []
        try:
            connection.ensure_connection()
            if connection.vendor != "postgresql":
                problems.append(
                    "Тесты запускаются на PostgreSQL: задайте DATABASE_URL=postgres://…"
                )
        except Exception as exc:  # noqa: BLE001 - report any failure in words
            problems.append(
                f"PostgreSQL недоступен ({exc.__class__.__name__}: {str(exc).strip()[:200]}).\n"
                f"    Запустите его: {START_POSTGRES}"
            )
        if settings.REDIS_URL:
            try:
                redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            except Exception as exc:  # noqa: BLE001
                problems.append(
                    f"Redis недоступен по адресу {settings.REDIS_URL} ({exc.__class__.__name__}).\n"
                    f"    Запустите его: {START_REDIS}"
                )
        if problems:
            for problem in problems:
                self.stderr.write(f"✗ {problem}")
            sys.exit(1)
        self.stdout.write("✓ PostgreSQL и Redis доступны.")
