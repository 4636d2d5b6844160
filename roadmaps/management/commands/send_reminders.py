"""Send the deadline reminders of one day by hand: the same service the morning task runs."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from roadmaps.services.reminders import send_reminders


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Неверная дата «%(value)s»: укажите её в виде ГГГГ-ММ-ДД, например 2026-09-01.")
            % {"value": value}
        ) from None


class Command(BaseCommand):
    help = _("Рассылает напоминания о сроках мероприятий дорожных карт за указанный день.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            dest="day",
            default=None,
            help=_("День в виде ГГГГ-ММ-ДД (по умолчанию сегодня)."),
        )

    def handle(self, *args, day: str | None, **options) -> None:
        report = send_reminders(day=_day(day) if day else timezone.localdate())
        lines = [
            _("Напоминания на %(day)s:") % {"day": report.day.strftime("%d.%m.%Y")},
            _("  писем отправлено: %(n)s") % {"n": report.users_mailed},
            _("  пунктов в письмах: %(n)s") % {"n": report.items},
            _("  пропущено (уже отправлено): %(n)s") % {"n": report.skipped},
            _("  без получателя: %(n)s") % {"n": report.unassigned},
        ]
        self.stdout.write("\n".join(lines))
        if report.failed_users:
            raise CommandError(
                _("Не удалось отправить писем: %(n)s. Запустите команду ещё раз позже.")
                % {"n": report.failed_users}
            )
