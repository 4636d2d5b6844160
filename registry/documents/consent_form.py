"""The ready-to-sign consent form under 152-ФЗ, printed from the registry's data.

One sheet per person: the consent to processing (programme; for adults also the
municipal mentor base), then the consent to distribution (photos and results on the
school's site) on its own page, since art. 10.1 of 152-ФЗ requires it to be a separate
document. A minor's form is addressed to the parent or legal guardian, who signs on the
child's behalf; their name and document are left blank to be filled in by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.documents.kinds import DocumentDataError, register
from mentorship.models import EDUCATIONAL_KINDS, Document
from mentorship.tenancy.rules import SCHOOL
from registry import access
from registry.models import Category, Participant
from registry.services.consent import CONSENT_FORM_KIND

KIND = CONSENT_FORM_KIND
# A print run the worker renders in seconds; a whole school is a few such runs.
MAX_PEOPLE = 300


@dataclass(frozen=True)
class Sheet:
    participant: Participant
    minor: bool
    data_items: list[str]
    mentor_base: bool


def _participant_ids(params: dict[str, Any]) -> list[int]:
    raw = params.get("participant_ids")
    if not raw:
        raise DocumentDataError(
            _(
                "Не выбраны участники. Бланк согласия формируется со страницы участника "
                "или из реестра (отметьте людей и выберите «Сформировать бланки согласий»)."
            )
        )
    if not isinstance(raw, list) or not all(isinstance(i, int) and i > 0 for i in raw):
        raise DocumentDataError(_("Неверный список участников для бланков согласий."))
    ids = list(dict.fromkeys(raw))
    if len(ids) > MAX_PEOPLE:
        raise DocumentDataError(
            _("За один раз можно сформировать не больше %(n)s бланков.") % {"n": MAX_PEOPLE}
        )
    return ids


def _data_items(participant: Participant) -> list[str]:
    """The data actually held on this person, so the form asks for nothing more."""
    items = [_("фамилия, имя, отчество"), _("дата рождения")]
    if participant.category == Category.PUPIL:
        items.append(_("класс обучения"))
    elif participant.category == Category.TEACHER:
        items.append(_("должность, преподаваемый предмет, педагогический стаж"))
    elif participant.category == Category.COLLEGE_STUDENT:
        items.append(_("место учёбы"))
    else:
        items.append(_("место работы (организация-партнёр) и должность"))
    items += [
        _("контактный телефон и адрес электронной почты (при наличии)"),
        _(
            "сведения об участии в программе наставничества: роль (наставник, "
            "наставляемый), формы наставничества, состав наставнической пары или группы"
        ),
        _(
            "ответы на анкеты, запросы и потребности, результаты входной и итоговой оценки, "
            "индивидуальный план развития"
        ),
    ]
    if participant.category == Category.PUPIL:
        items.append(
            _(
                "сведения о статусе обучающегося с ограниченными возможностями здоровья "
                "(при наличии; специальная категория персональных данных, ст. 10 152-ФЗ), "
                "об одарённости, о трудной жизненной ситуации"
            )
        )
    return items


def build_context(document: Document) -> dict[str, Any]:
    ids = _participant_ids(document.params)
    # The render runs inside the document's own tenant scope: another school's id is
    # simply not found here, and then the whole document fails rather than print less.
    people = {
        p.pk: p
        for p in Participant.objects.filter(pk__in=ids, depersonalized_at__isnull=True)
        .select_related("partner")
        .order_by("last_name", "first_name", "patronymic", "pk")
    }
    if len(people) != len(ids):
        raise DocumentDataError(
            _(
                "Среди выбранных есть участники, которых нет в реестре организации "
                "(или их данные обезличены). Бланки не сформированы."
            )
        )
    on = document.date
    sheets = []
    for participant in people.values():
        minor = participant.is_minor(on)
        sheets.append(
            Sheet(
                participant=participant,
                minor=minor,
                data_items=_data_items(participant),
                # The municipal base holds adult mentors only: a minor's form does not
                # ask a parent for a consent that could never be used.
                mentor_base=not minor and participant.category != Category.PUPIL,
            )
        )
    return {
        "sheets": sheets,
        "municipality": document.organization.municipality(),
    }


register(
    KIND,
    label=gettext_lazy("Бланк согласия на обработку персональных данных (152-ФЗ)"),
    template="documents/consent_form.html",
    build_context=build_context,
    # Who issues it is the rule of the page that asks for it (registry/access.py).
    roles=access.CONSENT[SCHOOL],
    org_kinds=tuple(EDUCATIONAL_KINDS),
    numbered=False,
    # Pupils' names and birth dates: issued and read inside the school only.
    personal_data=True,
)
