"""Remind non-respondents of open campaigns by hand: the same service the daily task runs."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.services.reminders import send_campaign_reminders


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("Неверная дата «%(value)s»: укажите её в виде ГГГГ-ММ-ДД, например 2026-11-20.")
            % {"value": value}
        ) from None


class Command(BaseCommand):
    help = _("Напоминает не ответившим участникам открытых кампаний мониторинга.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            dest="day",
            default=None,
            help=_("День в виде ГГГГ-ММ-ДД (по умолчанию сегодня)."),
        )

    def handle(self, *args, day: str | None, **options) -> None:
        report = send_campaign_reminders(day=_day(day) if day else timezone.localdate())
        self.stdout.write(
            "\n".join(
                [
                    _("Напоминания не ответившим на %(day)s:")
                    % {"day": report.day.strftime("%d.%m.%Y")},
                    _("  писем отправлено: %(n)s") % {"n": report.sent},
                    _("  пропущено (уже отправлено): %(n)s") % {"n": report.skipped},
                ]
            )
        )
        if report.failed:
            raise CommandError(
                _("Не удалось отправить писем: %(n)s. Запустите команду ещё раз позже.")
                % {"n": report.failed}
            )
