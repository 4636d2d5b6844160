"""The list's columns, the other headers people write for them, and the kinds' words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from mentorship.models import EDUCATIONAL_KINDS, OrganizationKind

MAX_ROWS = 1000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    width: int = 20


COLUMNS = (
    Column("full_name", gettext_lazy("Полное наименование"), required=True, width=60),
    Column("short_name", gettext_lazy("Краткое наименование"), width=28),
    Column("inn", gettext_lazy("ИНН"), required=True, width=14),
    Column("kind", gettext_lazy("Вид"), width=30),
    Column("address", gettext_lazy("Адрес"), width=40),
    Column("head_name", gettext_lazy("Руководитель (Фамилия И.О.)"), width=26),
    Column("head_position", gettext_lazy("Должность руководителя"), width=22),
    Column("curator_name", gettext_lazy("Куратор: фамилия, имя, отчество"), width=32),
    Column("curator_position", gettext_lazy("Куратор: должность"), width=26),
    Column("curator_email", gettext_lazy("Куратор: электронная почта"), width=28),
)
KEYS = tuple(c.key for c in COLUMNS)
# Other headers people write for the same columns.
ALIASES = {
    "наименование": "full_name",
    "полное наименование организации": "full_name",
    "краткое наименование организации": "short_name",
    "вид организации": "kind",
    "директор": "head_name",
    "руководитель": "head_name",
    "фио руководителя": "head_name",
    "куратор": "curator_name",
    "фио куратора": "curator_name",
    "должность куратора": "curator_position",
    "e-mail куратора": "curator_email",
    "email куратора": "curator_email",
    "почта куратора": "curator_email",
    "куратор: e-mail": "curator_email",
    "куратор: email": "curator_email",
}
# The kinds as people write them in a list, lower-case.
KIND_WORDS = {
    "школа": OrganizationKind.SCHOOL,
    "общеобразовательная организация": OrganizationKind.SCHOOL,
    "гимназия": OrganizationKind.SCHOOL,
    "лицей": OrganizationKind.SCHOOL,
    "колледж": OrganizationKind.COLLEGE,
    "техникум": OrganizationKind.COLLEGE,
    "спо": OrganizationKind.COLLEGE,
    "центр дополнительного образования": OrganizationKind.ADDITIONAL,
    "дополнительное образование": OrganizationKind.ADDITIONAL,
    "удо": OrganizationKind.ADDITIONAL,
    "иная": OrganizationKind.OTHER,
    "иная организация": OrganizationKind.OTHER,
    **{str(k.label).lower(): k for k in EDUCATIONAL_KINDS},
    **{k.value: k for k in EDUCATIONAL_KINDS},
}
CURATOR_KEYS = ("curator_name", "curator_position", "curator_email")
