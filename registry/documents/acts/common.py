"""What every local act shares: the requisites of an order, the people it names.

The wording follows the seeds: the order on the target model, the regulation and the
dorozhnaya karta of school No. 40 (stage 1 «Приказ о внедрении целевой модели
наставничества… Положение о наставничестве»), stage 4 «Приказ об организации «Школы
наставников»», stage 7 «Приказ о поощрении участников наставнической деятельности;
Благодарственные письма партнерам»; the Oblivsky roadmap's «Приказами ОУ созданы Советы
наставников».
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorship.declension import Case, PersonName, full_name
from mentorship.documents.content import (
    CENTER,
    DocType,
    DocumentContent,
    Letterhead,
    Para,
    RegLine,
    Signature,
    Stamp,
    Title,
)
from mentorship.documents.kinds import DocumentDataError
from mentorship.models import Document, Membership, Organization, OrganizationKind, Role
from registry.models import Category, ConsentState, Participant, Programme
from registry.selectors.municipal import MENTOR_BASE_CATEGORIES, unscoped_mentor_base

R145 = (
    "распоряжением Министерства просвещения Российской Федерации от 25.12.2019 № Р-145 "
    "«Об утверждении методологии (целевой модели) наставничества обучающихся для "
    "организаций, осуществляющих образовательную деятельность по общеобразовательным, "
    "дополнительным общеобразовательным и программам среднего профессионального "
    "образования, в том числе с применением лучших практик обмена опытом между "
    "обучающимися»"
)
LAW_273 = "Федеральным законом от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации»"
CONTROL = "Контроль исполнения настоящего приказа оставляю за собой."
# The five forms the methodology names, for a school that has recorded no programme yet.
METHODOLOGY_FORMS = (
    "«ученик – ученик»",
    "«учитель – учитель»",
    "«студент – ученик»",
    "«работодатель – ученик»",
    "«работодатель – студент»",
)
SCHOOL_YEAR_FIRST_MONTH = 9


def school_year(on: datetime.date) -> str:
    """A school year starts in September: 07.12.2026 → «2026/2027»."""
    first = on.year if on.month >= SCHOOL_YEAR_FIRST_MONTH else on.year - 1
    return f"{first}/{first + 1}"


def date_text(on: datetime.date) -> str:
    return f"{on:%d.%m.%Y}"


def hours_text(hours: int) -> str:
    """«36 часов», «1 час», «72 часа»: the catalogue's three Russian forms."""
    return ngettext("%(n)s час", "%(n)s часа", hours) % {"n": hours}


def is_municipality(organization: Organization) -> bool:
    return organization.kind == OrganizationKind.MUNICIPALITY


def issuer_name(organization: Organization) -> str:
    return organization.document_header or organization.full_name


def letterhead(organization: Organization) -> Letterhead:
    """The school under its education department, as the order on pairs prints it."""
    parent = organization.municipality() if organization.is_educational else None
    return Letterhead(
        issuer=issuer_name(organization), parent=issuer_name(parent) if parent else ""
    )


def place(organization: Organization) -> str:
    municipality = organization.municipality()
    return municipality.short_name if municipality else ""


def order_head(document: Document, title: str, doctype: str = "ПРИКАЗ") -> DocumentContent:
    """Issuer, «ПРИКАЗ», date and number, place, title: GOST R 7.0.97-2016 requisites."""
    organization = document.organization
    content = DocumentContent().add(
        letterhead(organization),
        DocType(doctype),
        RegLine(date_text(document.date), document.number),
    )
    if where := place(organization):
        content.add(Para(where, CENTER))
    return content.add(Title(title))


def signature(organization: Organization) -> Signature:
    return Signature(organization.head_position or _("Руководитель"), organization.head_name)


def appendix_stamp(document: Document, number: int | None = None) -> Stamp:
    label = _("Приложение") if number is None else _("Приложение %(n)s") % {"n": number}
    reference = _("к приказу %(org)s") % {"org": document.organization.short_name}
    dated = _("от %(d)s") % {"d": date_text(document.date)}
    if document.number:
        dated += f" № {document.number}"
    return Stamp((label, reference, dated))


def approval_stamp(document: Document) -> Stamp:
    """«УТВЕРЖДЕНО приказом … от … № …, Директор Гарипова Л.М.», top right, as the
    regulation carries it."""
    dated = _("от %(d)s") % {"d": date_text(document.date)}
    if document.number:
        dated += f" № {document.number}"
    organization = document.organization
    head = " ".join(
        p for p in (organization.head_position or _("Руководитель"), organization.head_name) if p
    )
    return Stamp(
        (_("УТВЕРЖДЕНО"), _("приказом %(org)s") % {"org": organization.short_name}, dated, head)
    )


# --- People ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A member of staff or an adult mentor as an act names them."""

    name: PersonName
    position: str = ""

    def said(self, case: Case | str) -> str:
        """«Иванову Марию Петровну (заместитель директора по УР)» — the name in `case`,
        the position in brackets: declining free-text positions would be a guess."""
        declined = full_name(self.name, case)
        return f"{declined} ({lower_first(self.position)})" if self.position else declined


def lower_first(text: str) -> str:
    """«Учитель» → «учитель» inside a sentence; «МБОУ …», «ИМЦ» stay as written."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _text_param(document: Document, key: str, limit: int = 300) -> str:
    value = document.params.get(key, "")
    if not isinstance(value, str | int):
        raise DocumentDataError(_("Параметр «%(key)s» должен быть строкой.") % {"key": key})
    value = " ".join(str(value).split())
    if len(value) > limit:
        raise DocumentDataError(_("Параметр «%(key)s» слишком длинный.") % {"key": key})
    return value


def text_param(document: Document, key: str, default: str = "", limit: int = 300) -> str:
    return _text_param(document, key, limit) or default


def int_param(document: Document, key: str, default: int, *, low: int = 1, high: int = 1000) -> int:
    raw = document.params.get(key, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise DocumentDataError(
            _("Параметр «%(key)s» должен быть числом.") % {"key": key}
        ) from None
    if not low <= value <= high:
        raise DocumentDataError(
            _("Параметр «%(key)s» должен быть от %(low)s до %(high)s.")
            % {"key": key, "low": low, "high": high}
        )
    return value


def ids_param(document: Document, key: str) -> list[int] | None:
    raw = document.params.get(key)
    if raw is None or raw == "":
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = [raw]
    elif isinstance(raw, str):
        raw = [part for part in raw.split(",") if part.strip()]
    try:
        ids = [int(x) for x in raw]
    except (TypeError, ValueError):
        raise DocumentDataError(
            _("Параметр «%(key)s» — номера через запятую.") % {"key": key}
        ) from None
    if not ids:
        return None
    return ids


def curators(document: Document) -> list[Person]:
    """The curator an act names: `params["curator"]` (and `position`) as typed, else the
    organisation's curators in the portal (a municipality: its methodists)."""
    typed = text_param(document, "curator")
    if typed:
        return [Person(PersonName.parse(typed), text_param(document, "position"))]
    organization = document.organization
    role = Role.METHODIST if is_municipality(organization) else Role.CURATOR
    memberships = (
        Membership.objects.filter(organization=organization, role=role)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    people = [
        Person(PersonName(m.user.last_name, m.user.first_name, m.user.patronymic), m.user.position)
        for m in memberships
        if m.user.last_name
    ]
    if not people:
        raise DocumentDataError(
            _(
                "В организации нет куратора с заполненными фамилией и именем: пригласите его "
                "в разделе «Сотрудники» или укажите параметр curator."
            )
        )
    return people


def person_of(participant: Participant) -> Person:
    position = participant.position
    if participant.category == Category.TEACHER and participant.subject:
        # «Учитель» and «математика» as the registry keeps them: «учитель, математика».
        position = ", ".join(p for p in (position, lower_first(participant.subject)) if p)
    if participant.category == Category.COLLEGE_STUDENT:
        position = participant.study_place
    if participant.category == Category.PARTNER and participant.partner:
        position = ", ".join(p for p in (participant.position, participant.partner.name) if p)
    return Person(
        PersonName(participant.last_name, participant.first_name, participant.patronymic),
        position,
    )


def adult_mentors(document: Document, key: str = "participant_ids") -> list[Person]:
    """The mentors an act names: those chosen (`params[key]`), else every adult mentor of
    the school with a valid consent; at a municipality, its mentor base.

    Acts carry staff and adult mentors only: a pupil (even one who mentors) is refused,
    so a school's act can go up to the department without a child's name in it.
    """
    organization = document.organization
    ids = ids_param(document, key)
    if is_municipality(organization):
        base = unscoped_mentor_base(organization)
        if ids is not None:
            chosen = {e.participant_id: e for e in base if e.participant_id in set(ids)}
            if len(chosen) != len(set(ids)):
                raise DocumentDataError(
                    _("Некоторых наставников нет в муниципальной базе наставников.")
                )
            base = [chosen[i] for i in dict.fromkeys(ids)]
        people = [Person(PersonName.parse(e.full_name), e.position) for e in base]
    else:
        queryset = Participant.objects.filter(
            is_mentor=True, depersonalized_at__isnull=True
        ).select_related("partner")
        if ids is not None:
            found = {p.pk: p for p in queryset.filter(pk__in=ids)}
            if len(found) != len(set(ids)):
                raise DocumentDataError(_("Некоторых наставников нет в реестре организации."))
            if any(p.category not in MENTOR_BASE_CATEGORIES for p in found.values()):
                raise DocumentDataError(
                    _(
                        "Документ называет только взрослых наставников (педагогов, студентов, "
                        "представителей партнёров): обучающихся в нём быть не может."
                    )
                )
            participants = [found[i] for i in dict.fromkeys(ids)]
        else:
            participants = list(
                queryset.filter(
                    Q(category__in=MENTOR_BASE_CATEGORIES) & Q(consent_state=ConsentState.VALID)
                ).order_by("last_name", "first_name", "patronymic", "pk")
            )
        people = [person_of(p) for p in participants]
    if not people:
        raise DocumentDataError(
            _("Нет наставников для документа: в реестре нет взрослых наставников с согласием.")
        )
    return people


def forms_of(organization: Organization) -> list[str]:
    """The mentoring forms the school runs, from its programmes («учитель – ученик»)."""
    names = list(
        dict.fromkeys(
            Programme.objects.filter(organization=organization)
            .select_related("form")
            .order_by("form__ordering", "form__name")
            .values_list("form__name", flat=True)
        )
    )
    return [f"«{name}»" for name in names] or list(METHODOLOGY_FORMS)
