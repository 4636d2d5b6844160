"""`manage.py restore FILE [--force]`: put a backup back into DATABASE_URL and MEDIA_ROOT."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from mentorship.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Восстановить базу данных и файлы из архива, созданного командой backup."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="заменить данные, если в базе уже есть организации",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Файл {path} не найден.")
        # The restore writes through its own tools: let go of Django's connection first.
        connections.close_all()
        try:
            manifest = backup_restore(
                path=path,
                db=settings.DATABASES["default"],
                media_root=Path(settings.MEDIA_ROOT),
                force=options["force"],
            )
        except BackupError as exc:
            raise CommandError(f"Восстановление не выполнено: {exc}") from None
        rows = manifest["counts"].get("mentorship_organization", 0)
        self.stdout.write(
            self.style.SUCCESS(
                f"Восстановлено из копии от {manifest['created_at']}: организаций {rows}, "
                f"файлов {manifest['media_files']}."
            )
        )
