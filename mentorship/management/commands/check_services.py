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
            self._create_database_if_missing()
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

    def _create_database_if_missing(self) -> None:
        """A fresh PostgreSQL has no `mentorship` database yet: make it, as `createdb` would."""
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.postgresql":
            return
        import psycopg
        from psycopg import sql

        params = {
            "host": db.get("HOST") or "127.0.0.1",
            "port": db.get("PORT") or 5432,
            "user": db.get("USER") or "postgres",
            "password": db.get("PASSWORD") or None,
            "dbname": "postgres",
            "autocommit": True,
        }
        with psycopg.connect(**params) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
            if exists.fetchone() is None:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
                self.stdout.write(f"Создана база данных {db['NAME']}.")
