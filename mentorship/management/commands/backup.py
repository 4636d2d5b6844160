"""`manage.py backup [--out DIR]`: the database and MEDIA_ROOT in one dated archive."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mentorship.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Сохранить базу данных и файлы (MEDIA_ROOT) в один архив с датой в имени."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(settings.BASE_DIR / "var" / "backups"))

    def handle(self, *args, **options):
        try:
            path = backup_create(out_dir=Path(options["out"]), media_root=Path(settings.MEDIA_ROOT))
        except BackupError as exc:
            raise CommandError(f"Резервная копия не создана: {exc}") from None
        self.stdout.write(self.style.SUCCESS(f"Резервная копия: {path}"))
        if settings.MEDIA_STORAGE_URL:
            # The files are in the bucket (MEDIA_STORAGE_URL), not under MEDIA_ROOT: the
            # archive holds the database only; the bucket is kept by its own versioning.
            self.stderr.write(
                self.style.WARNING(
                    "Файлы хранятся в объектном хранилище (MEDIA_STORAGE_URL) и в архив "
                    "не входят: сохраняйте бакет его собственными средствами "
                    "(версионирование, репликация)."
                )
            )
