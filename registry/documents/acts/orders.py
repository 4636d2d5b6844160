"""The orders of the target model, built as structured content (PDF and .docx alike).

model_order          «О внедрении целевой модели наставничества» (school stage 1)
curator_order        «О назначении куратора внедрения целевой модели наставничества»
mentor_school_order  «Об организации «Школы наставников»» (stage 4), with the training
                     schedule and the list of mentors as appendices
council_order        «О создании Совета наставников», with its membership
reward_order         «О поощрении наставников» (stage 7), from the chosen mentors

Parameters (the command's `--param`, stored in Document.params): `curator`, `position`
(a curator typed by hand instead of the portal's), `participant_ids` (chosen mentors),
`course`, `hours`.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from mentorship.declension import Case, Gender, full_name
from mentorship.documents.content import (
    VERB,
    DocumentContent,
    PageBreak,
    Para,
    Signature,
    Table,
    Title,
)
from mentorship.documents.kinds import DocumentDataError
from mentorship.models import Document
from registry.models import Programme

from .common import (
    CONTROL,
    LAW_273,
    R145,
    Person,
    adult_mentors,
    appendix_stamp,
    curators,
    date_text,
    forms_of,
    hours_text,
    int_param,
    is_municipality,
    order_head,
    school_year,
    signature,
    text_param,
)
from .competitions import competition_winners, winner_person

DEFAULT_COURSE = "Школа наставника"
DEFAULT_HOURS = 36
# The training programme's modules, after the seeds' course topics (Oblivsky district:
# the regional institute's courses; St Petersburg: a 36-hour programme).
MODULES = (
    "Нормативно-правовые основы наставничества. Целевая модель наставничества",
    "Наставничество – положение, формы и опыт",
    "Роль и компетенции наставника. Психолого-педагогические основы наставничества",
    "Составление программы наставничества и индивидуального плана развития наставляемого",
    "Педагогическое сопровождение компетентностного развития молодых педагогов",
    "Мониторинг и оценка результатов программы наставничества. Итоговая аттестация",
)


def _ordered(content: DocumentContent, preamble: str, items: list[str]) -> DocumentContent:
    content.add(Para(preamble))
    content.add(Para(_("ПРИКАЗЫВАЮ:"), VERB))
    return content.items(items)


def _joined(people: list[Person], case: Case) -> str:
    return ", ".join(person.said(case) for person in people)


def _one_month(on: datetime.date) -> datetime.date:
    return on + datetime.timedelta(days=30)


# --- model_order ------------------------------------------------------------------------


def build_model_order(document: Document) -> DocumentContent:
    organization = document.organization
    org = organization.short_name
    if is_municipality(organization):
        return _municipal_model_order(document)
    people = curators(document)
    programmes = list(
        Programme.objects.filter(organization=organization)
        .select_related("form")
        .order_by("form__ordering", "name", "pk")
    )
    content = order_head(
        document, _("О внедрении целевой модели наставничества в %(org)s") % {"org": org}
    )
    items = [
        _("Внедрить с %(d)s целевую модель наставничества в %(org)s в формах: %(forms)s.")
        % {"d": date_text(document.date), "org": org, "forms": ", ".join(forms_of(organization))},
        _("Назначить %(who)s %(role)s внедрения и реализации целевой модели наставничества.")
        % {
            "who": _joined(people, Case.ACCUSATIVE),
            "role": _("куратором") if len(people) == 1 else _("кураторами"),
        },
        _(
            "Куратору в срок до %(d)s разработать и представить на утверждение Положение о "
            "наставничестве в %(org)s и дорожную карту внедрения целевой модели наставничества."
        )
        % {"d": date_text(_one_month(document.date)), "org": org},
        _(
            "Куратору обеспечить формирование баз наставников и наставляемых с соблюдением "
            "требований Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных», "
            "в том числе получение согласий родителей (законных представителей) "
            "несовершеннолетних наставляемых."
        ),
        _(
            "Информировать педагогов, обучающихся и родительское сообщество о целях и "
            "возможностях программы наставничества; разместить настоящий приказ на "
            "официальном сайте %(org)s в разделе «Наставничество»."
        )
        % {"org": org},
    ]
    if programmes:
        items.insert(
            1, _("Утвердить перечень программ наставничества %(org)s (приложение).") % {"org": org}
        )
    items.append(CONTROL)
    _ordered(
        content,
        _(
            "В соответствии с %(law)s, %(r145)s, в целях достижения результатов федеральных "
            "проектов «Современная школа» и «Успех каждого ребенка» национального проекта "
            "«Образование»"
        )
        % {"law": LAW_273, "r145": R145},
        items,
    )
    content.add(signature(organization))
    if programmes:
        content.add(
            PageBreak(),
            appendix_stamp(document),
            Title(_("Программы наставничества %(org)s") % {"org": org}),
            Table(
                headers=(
                    _("№ п/п"),
                    _("Программа"),
                    _("Форма наставничества"),
                    _("Наставники"),
                    _("Наставляемые"),
                    _("Период"),
                ),
                rows=tuple(
                    (
                        str(n),
                        p.name + (f" ({p.operator})" if p.operator else ""),
                        p.form.name,
                        p.mentors_description,
                        p.mentees_description,
                        p.period_text or "—",
                    )
                    for n, p in enumerate(programmes, start=1)
                ),
                widths=(7, 27, 17, 16, 17, 16),
            ),
        )
    return content


def _municipal_model_order(document: Document) -> DocumentContent:
    organization = document.organization
    content = order_head(
        document,
        _("О внедрении целевой модели наставничества в образовательных организациях %(m)s")
        % {"m": organization.short_name},
    )
    people = curators(document)
    _ordered(
        content,
        _("В соответствии с %(law)s, %(r145)s") % {"law": LAW_273, "r145": R145},
        [
            _(
                "Руководителям образовательных организаций обеспечить внедрение целевой "
                "модели наставничества: издать приказ о внедрении целевой модели "
                "наставничества, утвердить Положение о наставничестве и дорожную карту, "
                "назначить куратора."
            ),
            _(
                "Назначить %(who)s ответственным за взаимодействие с региональным центром "
                "наставничества и предоставление обобщённой информации по реализации "
                "целевой модели наставничества в муниципалитете."
            )
            % {"who": _joined(people, Case.ACCUSATIVE)},
            _(
                "Сформировать муниципальную базу наставников и муниципальный банк лучших "
                "практик наставничества."
            ),
            _(
                "Предоставлять данные мониторинга реализации программ наставничества "
                "ежегодно, не позднее 30 ноября."
            ),
            CONTROL,
        ],
    )
    return content.add(signature(organization))


# --- curator_order ----------------------------------------------------------------------


def build_curator_order(document: Document) -> DocumentContent:
    organization = document.organization
    org = organization.short_name
    people = curators(document)
    one = len(people) == 1
    content = order_head(
        document,
        _("О назначении куратора внедрения целевой модели наставничества")
        if one
        else _("О назначении кураторов внедрения целевой модели наставничества"),
    )
    _ordered(
        content,
        _(
            "В соответствии с %(r145)s, в целях организации работы по внедрению и реализации "
            "целевой модели наставничества в %(org)s"
        )
        % {"r145": R145, "org": org},
        [
            _(
                "Назначить %(who)s %(role)s внедрения и реализации целевой модели "
                "наставничества в %(org)s с %(d)s."
            )
            % {
                "who": _joined(people, Case.ACCUSATIVE),
                "role": _("куратором") if one else _("кураторами"),
                "org": org,
                "d": date_text(document.date),
            },
            _(
                "%(who)s обеспечить: формирование баз наставников и наставляемых; "
                "организацию обучения наставников; формирование наставнических пар и групп; "
                "контроль реализации программ наставничества и индивидуальных планов развития; "
                "мониторинг эффективности целевой модели наставничества (промежуточный и "
                "итоговый); подготовку отчёта по итогам реализации программ наставничества."
            )
            % {
                "who": (_("Куратору %(n)s") if one else _("Кураторам %(n)s"))
                % {"n": ", ".join(full_name(p.name, Case.DATIVE) for p in people)}
            },
            _(
                "Куратору руководствоваться в работе Положением о наставничестве в %(org)s и "
                "дорожной картой внедрения целевой модели наставничества."
            )
            % {"org": org},
            CONTROL,
        ],
    )
    content.add(signature(organization))
    genders = {person.name.gender for person in people}
    acquainted = (
        _("С приказом ознакомлены:")
        if len(people) > 1
        else {
            Gender.MALE: _("С приказом ознакомлен:"),
            Gender.FEMALE: _("С приказом ознакомлена:"),
        }.get(genders.pop(), _("С приказом ознакомлен(а):"))
    )
    content.add(Para(acquainted, VERB))
    for person in people:
        content.add(Signature("", person.name.initials))
    return content


# --- mentor_school_order ----------------------------------------------------------------


def _schedule(hours: int) -> list[tuple[str, str, str]]:
    """The modules with hours that add up to the course's `hours`."""
    base, extra = divmod(hours, len(MODULES))
    rows = []
    for index, module in enumerate(MODULES):
        share = base + (1 if index < extra else 0)
        if share:
            rows.append((str(len(rows) + 1), module, str(share)))
    return rows


def build_mentor_school_order(document: Document) -> DocumentContent:
    organization = document.organization
    org = organization.short_name
    course = text_param(document, "course", DEFAULT_COURSE, limit=200)
    hours = int_param(document, "hours", DEFAULT_HOURS, low=1, high=500)
    people = curators(document)
    mentors = adult_mentors(document)
    content = order_head(document, _("Об организации «Школы наставников»"))
    _ordered(
        content,
        _(
            "В соответствии с %(r145)s, Положением о наставничестве, в целях отбора, "
            "выдвижения и обучения наставников и повышения их профессиональной компетентности"
        )
        % {"r145": R145},
        [
            _("Организовать в %(year)s учебном году «Школу наставников» в %(org)s.")
            % {"year": school_year(document.date), "org": org},
            _(
                "Утвердить программу обучения наставников «%(course)s» в объёме %(hours)s и "
                "график обучения (приложение 1)."
            )
            % {"course": course, "hours": hours_text(hours)},
            _("Утвердить список слушателей «Школы наставников» (приложение 2)."),
            _("Назначить %(who)s ответственным за организацию обучения наставников.")
            % {"who": _joined(people, Case.ACCUSATIVE)},
            _(
                "Подготовить методические материалы для сопровождения наставнической "
                "деятельности: памятки, сценарии встреч, рабочие тетради."
            ),
            _(
                "Слушателям, освоившим программу, выдать сертификаты о прохождении обучения "
                "по программе «%(course)s»."
            )
            % {"course": course},
            CONTROL,
        ],
    )
    content.add(signature(organization))
    content.add(
        PageBreak(),
        appendix_stamp(document, 1),
        Title(_("Программа и график обучения наставников «%(course)s»") % {"course": course}),
        Table(
            headers=(_("№ п/п"), _("Модуль"), _("Часов")),
            rows=(*_schedule(hours), ("", _("Итого"), str(hours))),
            widths=(10, 75, 15),
        ),
        PageBreak(),
        appendix_stamp(document, 2),
        Title(_("Список слушателей «Школы наставников»")),
        _people_table(mentors),
    )
    return content


def _people_table(people: list[Person], extra: tuple[str, list[str]] | None = None) -> Table:
    headers = [_("№ п/п"), _("Фамилия, имя, отчество"), _("Должность")]
    widths = [10, 45, 45]
    if extra:
        headers.append(extra[0])
        widths = [8, 37, 35, 20]
    rows = []
    for n, person in enumerate(people, start=1):
        row = [str(n), person.name.full, person.position or "—"]
        if extra:
            row.append(extra[1][n - 1])
        rows.append(tuple(row))
    return Table(headers=tuple(headers), rows=tuple(rows), widths=tuple(widths))


# --- council_order ----------------------------------------------------------------------


def build_council_order(document: Document) -> DocumentContent:
    organization = document.organization
    org = organization.short_name
    municipal = is_municipality(organization)
    chairs = curators(document)
    mentors = adult_mentors(document)
    members = chairs + [m for m in mentors if m.name not in {c.name for c in chairs}]
    roles = [_("председатель")] + [_("член Совета")] * (len(members) - 1)
    title = (
        _("О создании муниципального Совета наставников")
        if municipal
        else _("О создании Совета наставников")
    )
    content = order_head(document, title)
    purpose = (
        _("методического сопровождения деятельности наставников и наставляемых")
        if municipal
        else _("текущего руководства реализацией программ наставничества")
    )
    _ordered(
        content,
        _("В соответствии с %(r145)s, в целях %(purpose)s") % {"r145": R145, "purpose": purpose},
        [
            _("Создать %(council)s %(org)s.")
            % {
                "council": _("муниципальный Совет наставников")
                if municipal
                else _("Совет наставников"),
                "org": org,
            },
            _("Утвердить состав Совета наставников (приложение)."),
            _("Назначить председателем Совета наставников %(who)s.")
            % {"who": chairs[0].said(Case.ACCUSATIVE)},
            _(
                "Совету наставников в срок до %(d)s разработать и утвердить план работы на "
                "%(year)s учебный год."
            )
            % {"d": date_text(_one_month(document.date)), "year": school_year(document.date)},
            _(
                "Проводить заседания Совета наставников не реже одного раза в четверть; "
                "решения оформлять протоколом."
            ),
            CONTROL,
        ],
    )
    content.add(signature(organization))
    content.add(
        PageBreak(),
        appendix_stamp(document),
        Title(_("Состав Совета наставников %(org)s") % {"org": org}),
        _people_table(members, (_("Роль в Совете"), roles)),
    )
    return content


# --- reward_order -----------------------------------------------------------------------


def build_reward_order(document: Document) -> DocumentContent:
    organization = document.organization
    org = organization.short_name
    if document.params.get("competition_id"):
        # A competition's winners (the nominees' names as their schools nominated them).
        competition, winners = competition_winners(document)
        mentors = [winner_person(n) for n in winners]
        reason = _("по итогам конкурса «%(c)s»") % {"c": competition.title}
    else:
        mentors = adult_mentors(document)
        reason = _("по итогам реализации программ наставничества в %(year)s учебном году") % {
            "year": school_year(document.date)
        }
    if len(mentors) > 200:
        raise DocumentDataError(_("В приказе о поощрении не больше 200 наставников."))
    content = order_head(document, _("О поощрении наставников"))
    content.add(
        Para(
            _(
                "%(reason)s, в соответствии с Положением о наставничестве, за высокий "
                "профессионализм, личный вклад в развитие наставничества и результаты, "
                "достигнутые наставляемыми"
            )
            % {"reason": reason[:1].upper() + reason[1:]}
        ),
        Para(_("ПРИКАЗЫВАЮ:"), VERB),
        Para(_("1. Наградить Почётной грамотой %(org)s:") % {"org": org}, "item"),
    )
    last = len(mentors)
    for n, person in enumerate(mentors, start=1):
        ending = "." if n == last else ";"
        content.add(Para(f"1.{n}. {person.said(Case.ACCUSATIVE)}{ending}", "item"))
    people = curators(document)
    content.items(
        [
            _(
                "%(who)s внести сведения о поощрении в базу наставников и разместить "
                "информацию о награждении на официальном сайте %(org)s."
            )
            % {
                "who": (_("Куратору %(n)s") if len(people) == 1 else _("Кураторам %(n)s"))
                % {"n": ", ".join(full_name(p.name, Case.DATIVE) for p in people)},
                "org": org,
            },
            CONTROL,
        ],
        start=2,
    )
    return content.add(signature(organization))
