"""Consents and capacities in the registry import (issue 13, item 1): real .xlsx files
built with openpyxl from the portal's own template, the preview, all or nothing."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope
from registry.models import Consent, ConsentState, MentorProfile, Participant
from registry.services.exporting import template_workbook
from registry.services.importing import read_table, registry_import
from registry.services.resources import TEMPLATE_HEADERS
from tests.factories import make_participant

SIGNED = date(2026, 9, 1)


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.REGISTRY_IMPORT_DIR = tmp_path / "registry-imports"


def person(**cells) -> dict:
    """A row by header: a pupil of grade 7 by default."""
    row = {
        "Фамилия": "Тестова",
        "Имя": "Алина",
        "Отчество": "Игоревна",
        "Дата рождения": date(2013, 3, 14),
        "Категория": "обучающийся",
        "Класс": 7,
        "Наставник": "нет",
        "Наставляемый": "да",
        "Формы наставничества": "учитель – ученик",
    }
    row.update(cells)
    return row


def pupil(n: int, **cells) -> dict:
    return person(
        **{
            "Фамилия": f"Ученикова{n}",
            "Представитель: ФИО": f"Ученикова{n} Мария Петровна",
            "Представитель: кем приходится": "мать",
            "Представитель: телефон или эл. почта": "+7 900 000-00-00",
            "Согласие: дата подписания": SIGNED,
            "Согласие на бумаге": "да",
            **cells,
        }
    )


def mentor(n: int, capacity=3, **cells) -> dict:
    return person(
        **{
            "Фамилия": f"Наставникова{n}",
            "Дата рождения": date(1980, 1, 1),
            "Категория": "педагог",
            "Класс": None,
            "Наставник": "да",
            "Наставляемый": "нет",
            "Вместимость": capacity,
            "Согласие: дата подписания": SIGNED,
            "Согласие: цели": "участие в программе; база наставников",
            **cells,
        }
    )


def xlsx(rows: list[dict]) -> bytes:
    """The portal's own template, filled in as a curator would."""
    book = load_workbook(io.BytesIO(template_workbook()))
    sheet = book.worksheets[0]
    for row in rows:
        unknown = set(row) - set(TEMPLATE_HEADERS)
        assert not unknown, unknown
        sheet.append([row.get(h) for h in TEMPLATE_HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(org, content: bytes, dry_run=False, actor=None):
    with tenant_scope(org):
        return registry_import(
            actor=actor, organization=org, table=read_table(content, "list.xlsx"), dry_run=dry_run
        )


def written(org) -> tuple[int, int, int]:
    with tenant_scope(org):
        return (
            Participant.objects.count(),
            Consent.objects.count(),
            MentorProfile.objects.count(),
        )


# --- The happy path ----------------------------------------------------------------------


def test_pupils_with_parents_and_mentors_with_capacities_import_with_their_consents(cast):
    rows = [pupil(n) for n in range(4)] + [mentor(n, capacity=n + 2) for n in range(2)]
    rows.append(
        person(
            **{
                "Фамилия": "Старшеклассник",
                "Дата рождения": date(2007, 1, 1),  # 19: signs himself
                "Класс": 11,
                "Согласие: дата подписания": "01.09.2026",
                "Согласие на бумаге": "нет",
            }
        )
    )
    preview = run(cast.school, xlsx(rows), dry_run=True, actor=cast.curator)
    assert preview.ok and not preview.committed
    assert preview.counts["consents"] == 7 and written(cast.school) == (0, 0, 0)
    first = preview.rows[0]
    assert first.consent == "мать Ученикова0 Мария Петровна, 01.09.2026, на бумаге"
    assert preview.rows[4].capacity == 2
    assert "база наставников" in preview.rows[4].consent
    assert preview.rows[6].consent.startswith("сам(а), 01.09.2026, в электронном виде")

    report = run(cast.school, xlsx(rows), actor=cast.curator)
    assert report.committed, report
    assert written(cast.school) == (7, 7, 2)
    with tenant_scope(cast.school):
        people = {p.last_name: p for p in Participant.objects.all()}
        assert {p.consent_state for p in people.values()} == {ConsentState.VALID}
        consent = Consent.objects.get(participant=people["Ученикова0"])
        assert (consent.given_by, consent.giver_relation, consent.giver_contact) == (
            "parent",
            "мать",
            "+7 900 000-00-00",
        )
        assert consent.on_paper and consent.recorded_by == cast.curator
        assert not Consent.objects.get(participant=people["Старшеклассник"]).on_paper
        capacities = dict(
            MentorProfile.objects.values_list("participant__last_name", "max_mentees")
        )
        assert capacities == {"Наставникова0": 2, "Наставникова1": 3}
        assert people["Наставникова1"].in_mentor_base  # an adult mentor who agreed to it
        audited = AuditEntry.objects.filter(action="consent.record", organization=cast.school)
        assert audited.count() == 7
        assert {e.details["source"] for e in audited} == {"import"}
        assert {e.object_id for e in audited} == {str(p.pk) for p in people.values()}


def test_the_same_file_twice_records_each_consent_once_and_capacity_changes(cast):
    rows = [pupil(1), mentor(1, capacity=2)]
    assert run(cast.school, xlsx(rows)).committed
    again = run(cast.school, xlsx([pupil(1), mentor(1, capacity=4)]), dry_run=True)
    assert again.counts["matched"] == 2 and again.counts["consents"] == 0
    assert again.rows[0].consent_note == "Это согласие уже записано в реестре."
    assert run(cast.school, xlsx([pupil(1), mentor(1, capacity=4)])).committed
    assert written(cast.school) == (2, 2, 1)
    with tenant_scope(cast.school):
        assert MentorProfile.objects.get().max_mentees == 4


def test_a_known_mentors_questionnaire_keeps_its_answers_when_the_capacity_changes(cast):
    from registry.services.participants import mentor_profile_save

    teacher = make_participant(
        cast.school,
        last_name="Наставникова1",
        first_name="Алина",
        patronymic="Игоревна",
        birth_date=date(1980, 1, 1),
        category="teacher",
        grade=None,
        is_mentor=True,
        is_mentee=False,
    )
    with tenant_scope(cast.school):
        mentor_profile_save(actor=None, participant=teacher, competencies="проекты", max_mentees=1)
    assert run(cast.school, xlsx([mentor(1, capacity=5)])).committed
    with tenant_scope(cast.school):
        profile = MentorProfile.objects.get()
    assert (profile.max_mentees, profile.competencies) == (5, "проекты")


def test_a_representative_without_a_date_records_nothing_and_says_so(cast):
    row = pupil(1, **{"Согласие: дата подписания": None})
    report = run(cast.school, xlsx([row]))
    assert report.committed and report.counts["consents"] == 0
    assert "очереди «Нужно согласие»" in report.rows[0].consent_note
    assert written(cast.school) == (1, 0, 0)
    with tenant_scope(cast.school):
        assert Participant.objects.get().consent_state == ConsentState.MISSING


# --- Bad input: Russian row errors, nothing written ------------------------------------


BAD_ROWS = {
    "future date": (
        pupil(9, **{"Согласие: дата подписания": timezone.localdate() + timedelta(days=3)}),
        "«Согласие: дата подписания»: Дата согласия в будущем.",
    ),
    "minor signs himself": (
        pupil(
            9,
            **{
                "Представитель: ФИО": None,
                "Представитель: кем приходится": None,
                "Представитель: телефон или эл. почта": None,
            },
        ),  # fmt: skip
        "его собственная подпись не даёт согласия",
    ),
    "adult with a representative": (
        mentor(
            9,
            **{
                "Представитель: ФИО": "Иванова Мария Петровна",
                "Представитель: кем приходится": "мать",
            },
        ),  # fmt: skip
        "согласие родителя или представителя за взрослого не принимается",
    ),
    "garbage in the date": (
        pupil(9, **{"Согласие: дата подписания": "вчера"}),
        "В столбце «Согласие: дата подписания» должна быть дата в виде ДД.ММ.ГГГГ",
    ),
    "unknown relation": (
        pupil(9, **{"Представитель: кем приходится": "сосед"}),
        "мать, отец, опекун, попечитель или законный представитель, а не «сосед»",
    ),
    "no programme purpose": (
        pupil(9, **{"Согласие: цели": "публикация"}),
        "Согласие должно включать участие в программе наставничества.",
    ),
    "unknown purpose": (
        pupil(9, **{"Согласие: цели": "реклама"}),
        "неизвестная цель «реклама»",
    ),
    "capacity of a mentee": (
        pupil(9, **{"Вместимость": 2}),
        "«Вместимость» указывается только для наставников",
    ),
    "capacity not a number": (
        mentor(9, capacity="три"),
        "В столбце «Вместимость» должно быть целое число, а не «три».",
    ),
    "capacity too big": (mentor(9, capacity=300), "от 1 до 30 наставляемых, а не 300"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_a_bad_consent_or_capacity_is_a_russian_row_error_and_nothing_is_written(
    client, cast, case
):
    bad, message = BAD_ROWS[case]
    content = xlsx([pupil(1), mentor(1), bad])
    client.force_login(cast.curator)
    file = io.BytesIO(content)
    file.name = "list.xlsx"
    response = client.post(
        reverse("registry:import", kwargs={"org_slug": cast.school.slug}), {"file": file}
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert message in html, case
    # The button is off, and a forced POST writes nothing either.
    assert client.post(response["Location"]).status_code == 400
    report = run(cast.school, content)
    assert not report.committed
    assert [(r.row, r.status) for r in report.rows] == [(2, "new"), (3, "new"), (4, "error")]
    assert any(message in e for e in report.rows[2].errors), report.rows[2].errors
    assert written(cast.school) == (0, 0, 0)
    with tenant_scope(cast.school):
        assert not AuditEntry.objects.filter(action="consent.record").exists()


def test_a_minors_consent_is_judged_by_the_age_on_the_day_it_was_signed(cast):
    # 18 on 01.06.2026: a consent he signed himself in May is a minor's, in September an
    # adult's.
    born = date(2008, 6, 1)
    may = person(**{"Дата рождения": born, "Класс": 11,
                    "Согласие: дата подписания": date(2026, 5, 20)})  # fmt: skip
    report = run(cast.school, xlsx([may]))
    assert not report.committed
    assert "собственная подпись" in " ".join(report.rows[0].errors)
    september = {**may, "Согласие: дата подписания": date(2026, 9, 2)}
    assert run(cast.school, xlsx([september])).committed


def test_the_preview_page_lists_the_consents_to_be_recorded(client, cast):
    client.force_login(cast.curator)
    file = io.BytesIO(xlsx([pupil(1), pupil(2, **{"Согласие: дата подписания": None})]))
    file.name = "list.xlsx"
    response = client.post(
        reverse("registry:import", kwargs={"org_slug": cast.school.slug}), {"file": file}
    )
    html = client.get(response["Location"]).content.decode()
    assert 'data-count="consents">1<' in html
    assert "мать Ученикова1 Мария Петровна, 01.09.2026, на бумаге" in html
    assert "не указана дата подписания" in html
    client.post(response["Location"])
    assert written(cast.school) == (2, 1, 0)
