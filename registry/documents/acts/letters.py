"""Thank-you letters to partner organisations and certificates of the school of mentors.

thank_you_letter    one letter per partner (`params["partner_id"]`, else every partner of
                    the organisation, each on its own page): the addressee in the dative
                    («Руководителю ООО «…» Осокину И.С.»), «Уважаемый Иван Сергеевич!»
mentor_certificate  one certificate per mentor (`participant_ids`, else every adult
                    mentor with consent), «выдан Петрову Ивану Сергеевичу в том, что он
                    прошёл обучение по программе «…» в объёме 36 часов». Until the school of
                    mentors keeps its own courses, the course is a parameter (`course`,
                    `hours`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from mentorship.declension import (
    Case,
    Gender,
    PersonName,
    full_name,
    pronoun_passed,
    salutation,
    short_name,
)
from mentorship.documents.content import (
    BIG,
    CENTER,
    DocType,
    DocumentContent,
    PageBreak,
    Para,
    RegLine,
    Stamp,
)
from mentorship.documents.kinds import DocumentDataError
from mentorship.models import Document
from registry.models import Enrollment, Participant, PartnerOrganization

from .common import (
    Person,
    adult_mentors,
    date_text,
    hours_text,
    ids_param,
    int_param,
    is_municipality,
    letterhead,
    person_of,
    place,
    school_year,
    signature,
    text_param,
)
from .orders import DEFAULT_COURSE, DEFAULT_HOURS

MAX_PAGES = 200


def _partners(document: Document) -> list[PartnerOrganization]:
    partners = PartnerOrganization.objects.filter(organization=document.organization)
    ids = ids_param(document, "partner_id") or ids_param(document, "partner_ids")
    if ids is not None:
        found = {p.pk: p for p in partners.filter(pk__in=ids)}
        if len(found) != len(set(ids)):
            raise DocumentDataError(_("Такого партнёра у организации нет."))
        return [found[i] for i in dict.fromkeys(ids)]
    chosen = list(partners.order_by("name", "pk")[: MAX_PAGES + 1])
    if not chosen:
        raise DocumentDataError(_("У организации нет партнёров: добавьте их в разделе «Партнёры»."))
    if len(chosen) > MAX_PAGES:
        raise DocumentDataError(_("Писем больше %(n)s: выберите партнёров.") % {"n": MAX_PAGES})
    return chosen


def _representatives(document: Document, partner: PartnerOrganization) -> list[str]:
    """The partner's staff who mentored in this school (adults: named in nominative)."""
    if is_municipality(document.organization):
        return []
    people = Participant.objects.filter(
        partner=partner, is_mentor=True, depersonalized_at__isnull=True
    ).order_by("last_name", "first_name", "pk")
    return [p.full_name for p in people]


def addressee_organization(name: str) -> str:
    """The partner's name after «Руководителю»: «ООО «Ромашка»» and «КФУ» stay as
    written; a plain name, which would have to be declined («Набережночелнинский
    институт КФУ» → «…ского института…», a guess for free text), is quoted after
    «организации» instead, which reads right in any case."""
    name = " ".join(name.split())
    first = name.split(" ", 1)[0]
    if any(q in name for q in '«»"') or (first.isupper() and len(first) > 1):
        return name
    return _("организации «%(name)s»") % {"name": name}


def build_thank_you_letter(document: Document) -> DocumentContent:
    organization = document.organization
    org = organization.short_name
    content = DocumentContent()
    for index, partner in enumerate(_partners(document)):
        if index:
            content.add(PageBreak())
        contact = PersonName.parse(partner.contact_person)
        addressee = [_("Руководителю"), addressee_organization(partner.name)]
        if contact.last:
            addressee.append(short_name(contact, Case.DATIVE))
        content.add(
            letterhead(organization),
            RegLine(date_text(document.date), document.number),
        )
        if where := place(organization):
            content.add(Para(where, CENTER))
        content.add(
            Stamp(tuple(addressee)),
            DocType(_("БЛАГОДАРСТВЕННОЕ ПИСЬМО")),
            Para(
                salutation(contact) if contact.last else _("Уважаемые коллеги!"), CENTER, bold=True
            ),
        )
        agreement = ""
        if partner.agreement_number:
            agreement = _(" в рамках соглашения № %(n)s") % {"n": partner.agreement_number}
            if partner.agreement_date:
                agreement += _(" от %(d)s") % {"d": date_text(partner.agreement_date)}
        content.add(
            Para(
                _(
                    "%(org)s выражает Вам и Вашему коллективу искреннюю благодарность за "
                    "участие в реализации программы наставничества в %(year)s учебном "
                    "году%(agreement)s."
                )
                % {
                    "org": org,
                    "year": school_year(document.date),
                    "agreement": agreement,
                }
            )
        )
        people = _representatives(document, partner)
        if people:
            content.add(
                Para(
                    _(
                        "Наставниками обучающихся выступили сотрудники Вашей организации: "
                        "%(names)s. Их опыт и открытость помогли нашим ученикам в выборе "
                        "профессионального пути."
                    )
                    % {"names": ", ".join(people)}
                )
            )
        content.add(
            Para(
                _(
                    "Ваша поддержка помогает раскрыть потенциал обучающихся и педагогов, "
                    "сделать наставничество частью жизни нашего сообщества. Надеемся на "
                    "дальнейшее плодотворное сотрудничество."
                )
            ),
            signature(organization),
        )
    return content


def _gendered(name: PersonName) -> dict[str, str]:
    words = {
        Gender.MALE: ("он", "допущен"),
        Gender.FEMALE: ("она", "допущена"),
    }.get(name.gender, ("он(а)", "допущен(а)"))
    return {"he": words[0], "passed": pronoun_passed(name), "admitted": words[1]}


def _completer(document: Document) -> tuple[str, int, list[Person]]:
    """The course, its hours and the one completer of `params["enrollment_id"]`."""
    ids = ids_param(document, "enrollment_id")
    if not ids or len(ids) != 1:
        raise DocumentDataError(_("Укажите одного слушателя курса (enrollment_id)."))
    enrollment = (
        Enrollment.objects.filter(pk=ids[0], completed_on__isnull=False)
        .select_related("course", "participant", "participant__partner")
        .first()
    )
    if enrollment is None or enrollment.participant.depersonalized_at is not None:
        raise DocumentDataError(_("Слушатель не окончил курс школы наставников этой организации."))
    course = enrollment.course
    return course.title, course.hours, [person_of(enrollment.participant)]


def build_mentor_certificate(document: Document) -> DocumentContent:
    organization = document.organization
    if document.params.get("enrollment_id") not in (None, ""):
        course, hours, mentors = _completer(document)
    else:
        course = text_param(document, "course", DEFAULT_COURSE, limit=200)
        hours = int_param(document, "hours", DEFAULT_HOURS, low=1, high=500)
        mentors = adult_mentors(document)
    if len(mentors) > MAX_PAGES:
        raise DocumentDataError(
            _("Сертификатов больше %(n)s: выберите наставников.") % {"n": MAX_PAGES}
        )
    content = DocumentContent()
    for index, person in enumerate(mentors, start=1):
        if index > 1:
            content.add(PageBreak())
        number = document.number or str(index)
        if len(mentors) > 1 and document.number:
            number = f"{document.number}-{index}"
        content.add(
            letterhead(organization),
            DocType(_("СЕРТИФИКАТ")),
            Para(f"№ {number}", CENTER),
            Para(_("выдан"), CENTER),
            Para(full_name(person.name, Case.DATIVE), BIG, bold=True),
            Para(
                _(
                    "в том, что %(he)s %(passed)s обучение по программе «%(course)s» в объёме "
                    "%(hours)s в %(org)s и %(admitted)s к наставнической деятельности."
                )
                % {
                    **_gendered(person.name),
                    "course": course,
                    "hours": hours_text(hours),
                    "org": organization.short_name,
                },
                CENTER,
            ),
            Para(
                _("Дата выдачи: %(d)s") % {"d": date_text(document.date)}
                + (f", {place(organization)}" if place(organization) else ""),
                CENTER,
            ),
            signature(organization),
        )
    return content
