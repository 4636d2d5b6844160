"""Pairs carry their own dates and numbers (issue 13, item 4).

- a pair starts the day it is accepted, then on the date of the order approving it;
- the order prints each pair's own number and period;
- the «нет встреч 30+ дней» flag counts from the pair's start or last meeting;
- numbers are a per-school sequence (two schools number independently);
- the pairs page issues the order with the school's own number and date, refusing bad
  input (400) and another order's number (409); the API does the same through the same
  service.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from pypdf import PdfReader
from rest_framework.test import APIClient

from mentorship.models import Document
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from registry.models import Pair, PairSequence, PairStatus, Programme
from registry.selectors import pairs as pair_selectors
from registry.services import pairs as pair_services
from registry.services.pair_order import pair_order_issue
from tests.factories import ProgrammeFactory, make_pair

TODAY = date.today()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fresh(obj):
    with tenant_scope(obj.organization):
        obj.refresh_from_db()
    return obj


def pdf_text(document: Document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def issue(capture, **kwargs) -> Document:
    kwargs.setdefault("actor", None)
    with capture(execute=True):
        document = pair_order_issue(**kwargs)
    return fresh(document)


def order_url(org) -> str:
    return f"/o/{org.slug}/pairs/order/"


# --- numbers ------------------------------------------------------------------------------


def test_numbers_are_a_sequence_per_school_independent_of_other_schools(cast):
    a1, b1, a2, b2, a3 = (
        make_pair(cast.school),
        make_pair(cast.school2),
        make_pair(cast.school),
        make_pair(cast.school2),
        make_pair(cast.school),
    )
    assert [a1.number, a2.number, a3.number] == [1, 2, 3]
    assert [b1.number, b2.number] == [1, 2]
    assert len({a1.pk, b1.pk, a2.pk, b2.pk, a3.pk}) == 5  # ids are global, numbers are not
    with tenant_scope(cast.school):
        assert PairSequence.objects.get(organization=cast.school).last_number == 3
        assert str(a3) == "Пара №3"


def test_a_rejected_pair_keeps_its_number_and_the_next_one_follows(cast):
    first = make_pair(cast.school)
    with tenant_scope(cast.school):
        pair_services.pair_transition(
            actor=None, pair=first, to=PairStatus.REJECTED, reason="Не сошлись"
        )
    assert make_pair(cast.school).number == 2


def test_numbering_follows_pairs_written_around_the_service(cast):
    """A bulk insert (benchmarks, old data) with numbers does not make the next collide."""
    make_pair(cast.school)
    with tenant_scope(cast.school):
        Pair.objects.filter(number=1).update(number=7)
    assert make_pair(cast.school).number == 8


def test_the_database_refuses_a_second_pair_with_the_same_number_in_a_school(cast):
    from django.db import IntegrityError, transaction

    pair = make_pair(cast.school)
    other = make_pair(cast.school2)
    with tenant_scope(cast.school, cast.school2):
        # Another school may hold the same number.
        assert other.number == pair.number
        with pytest.raises(IntegrityError), transaction.atomic():
            Pair.objects.filter(pk=make_pair(cast.school).pk).update(number=pair.number)


def test_the_data_migration_numbers_existing_pairs_per_school_in_creation_order(cast):
    from importlib import import_module

    migration = import_module("registry.migrations.0008_pair_numbers_per_school")
    made = [make_pair(cast.school), make_pair(cast.school2), make_pair(cast.school)]
    with unscoped_reads():
        # As before the migration: database ids, and no sequence rows.
        for pair in made:
            Pair.objects.filter(pk=pair.pk).update(number=1000 + pair.pk)
        PairSequence.objects.all().delete()
        migration.number_existing_pairs(apps, None)
        numbers = {p.pk: p.number for p in Pair.objects.filter(pk__in=[p.pk for p in made])}
        sequences = dict(PairSequence.objects.values_list("organization_id", "last_number"))
    assert [numbers[p.pk] for p in made] == [1, 1, 2]
    assert sequences[cast.school.pk] == 2 and sequences[cast.school2.pk] == 1
    assert make_pair(cast.school).number == 3


def test_the_pairs_page_shows_the_schools_numbers(client, cast):
    make_pair(cast.school2)
    make_pair(cast.school2)
    pair = make_pair(cast.school)
    client.force_login(cast.curator)
    body = client.get(f"/o/{cast.school.slug}/pairs/").content.decode()
    assert f'data-testid="pair-number">{pair.number}</a>' in body and pair.number == 1
    detail = client.get(f"/o/{cast.school.slug}/pairs/{pair.pk}/").content.decode()
    assert "Наставническая пара №1" in detail


# --- dates --------------------------------------------------------------------------------


def test_a_pair_starts_the_day_it_is_accepted_not_on_the_programmes_start(cast):
    programme = ProgrammeFactory(
        organization=cast.school, starts_on=date(2021, 9, 1), ends_on=date(2031, 5, 31)
    )
    pair = make_pair(cast.school)
    with tenant_scope(cast.school):
        Pair.objects.filter(pk=pair.pk).update(programme=programme)
    assert pair.starts_on == TODAY
    # The end follows the programme's when none is given.
    from tests.factories import make_consented

    mentor = make_consented(
        cast.school,
        last_name="Новикова",
        category="teacher",
        grade=None,
        birth_date=date(1980, 1, 1),
        is_mentor=True,
        is_mentee=False,
    )
    mentee = make_consented(cast.school, last_name="Юнова")
    with tenant_scope(cast.school):
        second = pair_services.pair_propose(
            actor=None, programme=programme, mentor_ids=[mentor.pk], mentee_ids=[mentee.pk]
        )
    assert second.starts_on == TODAY and second.ends_on == date(2031, 5, 31)


def test_a_pair_is_not_proposed_in_a_programme_that_has_ended(cast):
    from tests.factories import make_consented

    programme = ProgrammeFactory(
        organization=cast.school, starts_on=date(2020, 9, 1), ends_on=date(2021, 5, 31)
    )
    mentor = make_consented(
        cast.school,
        last_name="Старова",
        category="teacher",
        grade=None,
        birth_date=date(1980, 1, 1),
        is_mentor=True,
        is_mentee=False,
    )
    mentee = make_consented(cast.school, last_name="Поздняя")
    with tenant_scope(cast.school), pytest.raises(ValidationError, match="закончилась 31.05.2021"):
        pair_services.pair_propose(
            actor=None, programme=programme, mentor_ids=[mentor.pk], mentee_ids=[mentee.pk]
        )


def row(pair: Pair, period: str) -> str:
    """One row of the appendix as pdf text reads it: № mentor mentee, class period."""
    with tenant_scope(pair.organization):
        mentor = pair.members.get(role="mentor").participant
        mentee = pair.members.get(role="mentee").participant
    return (
        f"{pair.number} {mentor.full_name} {mentee.full_name}, {mentee.class_label} класс {period}"
    )


def appendix(text: str) -> str:
    return text.split("Наставляемый(-ые) Период", 1)[1]


def test_the_order_gives_its_pairs_its_date_and_prints_each_pairs_own_period_and_number(
    cast, django_capture_on_commit_callbacks
):
    school = cast.school
    earlier = make_pair(school)
    before = TODAY - timedelta(days=20)
    first = issue(
        django_capture_on_commit_callbacks,
        organization=school,
        pair_ids=[earlier.pk],
        number="12-о",
        date=before,
    )
    assert fresh(earlier).starts_on == before
    make_pair(cast.school2)  # another school's pairs do not move our numbers
    late = [make_pair(school), make_pair(school)]
    with tenant_scope(school):
        Pair.objects.filter(pk=late[1].pk).update(ends_on=date(2027, 5, 31))
        # The programme started years ago: its start is never a pair's.
        Programme.objects.filter(pk=late[0].programme_id).update(starts_on=date(2021, 9, 1))
    on = TODAY - timedelta(days=3)
    order = issue(
        django_capture_on_commit_callbacks,
        organization=school,
        pair_ids=[earlier.pk, late[0].pk, late[1].pk],
        number="112-о",
        date=on,
    )
    assert order.number == "112-о" and order.date == on
    for pair in late:
        pair = fresh(pair)
        assert pair.status == PairStatus.APPROVED and pair.order_id == order.pk
        assert pair.starts_on == on  # the order's date, not the day it was accepted
    # The pair approved by the earlier order keeps that order and its date.
    assert fresh(earlier).order_id == first.pk and fresh(earlier).starts_on == before

    text = pdf_text(order)
    assert f"от {on:%d.%m.%Y} № 112-о" in text
    rows = appendix(text)
    assert [p.number for p in (earlier, *late)] == [1, 2, 3]
    assert row(fresh(earlier), f"с {before:%d.%m.%Y}") in rows
    assert row(fresh(late[0]), f"с {on:%d.%m.%Y}") in rows
    assert row(fresh(late[1]), f"{on:%d.%m.%Y} – 31.05.2027") in rows
    assert "01.09.2021" not in text


def test_the_order_prints_the_pairs_own_numbers_not_a_count(
    cast, django_capture_on_commit_callbacks
):
    school = cast.school
    pairs = [make_pair(school) for _ in range(4)]
    with tenant_scope(school):
        pair_services.pair_transition(
            actor=None, pair=pairs[1], to=PairStatus.REJECTED, reason="Не сошлись"
        )
    order = issue(
        django_capture_on_commit_callbacks,
        organization=school,
        pair_ids=[pairs[3].pk, pairs[0].pk, pairs[2].pk],
        number="7",
    )
    rows = appendix(pdf_text(order))
    start = f"с {order.date:%d.%m.%Y}"
    # № 4 stays № 4, as on the pairs page: № 2 was rejected, nothing is renumbered.
    for pair, number in ((pairs[0], 1), (pairs[2], 3), (pairs[3], 4)):
        assert pair.number == number
        assert row(pair, start) in rows
    assert row(pairs[1], start) not in rows
    assert rows.index(row(pairs[0], start)) < rows.index(row(pairs[3], start))


def test_regenerating_with_a_new_date_moves_its_pairs_start(
    cast, django_capture_on_commit_callbacks
):
    pair = make_pair(cast.school)
    first = issue(
        django_capture_on_commit_callbacks,
        organization=cast.school,
        pair_ids=[pair.pk],
        number="5",
        date=TODAY - timedelta(days=10),
    )
    again = issue(
        django_capture_on_commit_callbacks,
        organization=cast.school,
        pair_ids=[pair.pk],
        number="5",
        date=TODAY - timedelta(days=8),
    )
    assert again.pk == first.pk
    assert fresh(pair).starts_on == TODAY - timedelta(days=8)
    assert f"с {TODAY - timedelta(days=8):%d.%m.%Y}" in pdf_text(again)


# --- the stale flag -----------------------------------------------------------------------


def _approved_on(org, day: date) -> Pair:
    pair = make_pair(org)
    with tenant_scope(org):
        pair_services.pairs_approve_by_order(actor=None, pairs=[pair], order=None)
        Pair.objects.filter(pk=pair.pk).update(starts_on=day)
    return fresh(pair)


def test_stale_counts_from_the_pairs_start_or_last_meeting(cast):
    fresh_pair = _approved_on(cast.school, TODAY - timedelta(days=29))
    boundary = _approved_on(cast.school, TODAY - timedelta(days=30))
    met = _approved_on(cast.school, TODAY - timedelta(days=90))
    silent = _approved_on(cast.school, TODAY - timedelta(days=90))
    with tenant_scope(cast.school):
        pair_services.meeting_log(
            actor=None,
            pair=met,
            kind="first",
            held_on=TODAY - timedelta(days=28),
            topic="Знакомство",
        )
        stale = set(pair_selectors.stale_pairs().values_list("pk", flat=True))
        assert stale == {boundary.pk, silent.pk}
        assert fresh_pair.pk not in stale
        # Tomorrow the first crosses 30 days too; the one that met 28 days ago does not.
        tomorrow = set(
            pair_selectors.stale_pairs(today=TODAY + timedelta(days=1)).values_list("pk", flat=True)
        )
        assert tomorrow == {fresh_pair.pk, boundary.pk, silent.pk}


def test_pairs_approved_today_are_not_flagged_on_the_page(client, cast):
    for _ in range(3):
        make_pair(cast.school, approved=True)
    client.force_login(cast.curator)
    body = client.get(f"/o/{cast.school.slug}/pairs/").content.decode()
    assert "нет встреч 30+ дней" not in body
    assert 'data-testid="stale-alert"' not in body


# --- issuing with the school's own number and date ----------------------------------------


def test_the_pairs_page_has_the_order_form_with_number_and_date(client, cast):
    make_pair(cast.school)
    client.force_login(cast.curator)
    body = client.get(f"/o/{cast.school.slug}/pairs/").content.decode()
    assert 'data-testid="order-form"' in body
    assert 'name="number"' in body and 'name="date"' in body
    assert f'value="{TODAY.isoformat()}"' in body  # today by default


def test_the_page_issues_the_order_with_the_schools_number_and_date(
    client, cast, django_capture_on_commit_callbacks
):
    pairs = [make_pair(cast.school), make_pair(cast.school)]
    client.force_login(cast.curator)
    on = TODAY - timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            order_url(cast.school),
            {"pair_ids": [p.pk for p in pairs], "number": " 112-о ", "date": on.isoformat()},
        )
    assert response.status_code == 302
    with tenant_scope(cast.school):
        document = Document.objects.get(kind="pair_order")
    assert (document.number, document.date) == ("112-о", on)
    assert all(fresh(p).starts_on == on for p in pairs)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"number": "", "date": TODAY.isoformat()}, "number", "Укажите номер приказа"),
        ({"number": "   ", "date": TODAY.isoformat()}, "number", "Укажите номер приказа"),
        ({"number": "1", "date": ""}, "date", "Укажите дату приказа"),
        ({"number": "1", "date": "31.13.2026"}, "date", "Введите правильную дату"),
        (
            {"number": "1", "date": (TODAY + timedelta(days=60)).isoformat()},
            "date",
            "проверьте год и месяц",
        ),
        ({"number": "x" * 31, "date": TODAY.isoformat()}, "number", "не более 30"),
    ],
)
def test_bad_input_is_a_400_with_the_form_as_filled(client, cast, data, field, message):
    pair = make_pair(cast.school)
    client.force_login(cast.curator)
    response = client.post(order_url(cast.school), {"pair_ids": [pair.pk], **data})
    assert response.status_code == 400
    form = response.context["order_form"]
    assert any(message in e for e in form.errors[field]), form.errors
    assert message in response.content.decode()
    # The same pairs are named again by the form shown.
    assert f'name="pair_ids" value="{pair.pk}"' in response.content.decode()
    with tenant_scope(cast.school):
        assert not Document.objects.exists()
    assert fresh(pair).status == PairStatus.PROPOSED


def test_a_date_a_few_days_ahead_is_accepted(cast, django_capture_on_commit_callbacks):
    pair = make_pair(cast.school)
    on = TODAY + timedelta(days=3)
    document = issue(
        django_capture_on_commit_callbacks,
        organization=cast.school,
        pair_ids=[pair.pk],
        number="9",
        date=on,
    )
    assert document.date == on and fresh(pair).starts_on == on


def test_a_pair_ending_before_the_order_is_refused(cast):
    pair = make_pair(cast.school)
    with tenant_scope(cast.school):
        Pair.objects.filter(pk=pair.pk).update(ends_on=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError, match="раньше даты приказа"):
        pair_order_issue(actor=None, organization=cast.school, pair_ids=[pair.pk], number="1")


def test_another_orders_number_is_a_409_in_russian(
    client, cast, django_capture_on_commit_callbacks
):
    first, second = make_pair(cast.school), make_pair(cast.school)
    issue(
        django_capture_on_commit_callbacks,
        organization=cast.school,
        pair_ids=[first.pk],
        number="112-о",
    )
    client.force_login(cast.curator)
    response = client.post(
        order_url(cast.school),
        {"pair_ids": [second.pk], "number": "112-о", "date": TODAY.isoformat()},
    )
    assert response.status_code == 409
    assert "Приказ № 112-о" in response.content.decode() and "другой номер" in (
        response.content.decode()
    )
    with tenant_scope(cast.school):
        assert Document.objects.count() == 1
    assert fresh(second).status == PairStatus.PROPOSED
    # The same number in another year, or in another school, is free.
    issue(
        django_capture_on_commit_callbacks,
        organization=cast.school2,
        pair_ids=[make_pair(cast.school2).pk],
        number="112-о",
    )


def test_the_api_issues_with_the_same_rules(cast, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_login(cast.curator)
    base = f"/api/v1/o/{cast.school.slug}/pairs/order/"
    first, second = make_pair(cast.school), make_pair(cast.school)
    response = api.post(base, {"pair_ids": [first.pk], "number": "  "}, format="json")
    assert response.status_code == 400 and "Укажите номер приказа" in str(response.json())
    far = (TODAY + timedelta(days=60)).isoformat()
    response = api.post(base, {"pair_ids": [first.pk], "number": "1", "date": far}, format="json")
    assert response.status_code == 400 and "проверьте год" in str(response.json())
    on = (TODAY - timedelta(days=1)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            base, {"pair_ids": [first.pk], "number": "44", "date": on}, format="json"
        )
    # 202: the render ran after the answer (on commit); the pair has the order's date now.
    assert response.status_code in (201, 202), response.content
    assert fresh(first).starts_on.isoformat() == on
    response = api.post(base, {"pair_ids": [second.pk], "number": "44"}, format="json")
    assert response.status_code == 409
    assert "другой номер" in response.json()["number"][0]
    pair = api.get(f"/api/v1/o/{cast.school.slug}/pairs/{first.pk}/").json()
    assert pair["number"] == first.number and pair["starts_on"] == on


def test_another_schools_pair_is_not_ordered_and_its_page_is_404(client, cast):
    foreign = make_pair(cast.school2)
    client.force_login(cast.curator)
    response = client.post(
        order_url(cast.school),
        {"pair_ids": [foreign.pk], "number": "1", "date": TODAY.isoformat()},
    )
    assert response.status_code == 400
    assert "не найдены в реестре школы" in response.content.decode()
    assert client.get(f"/o/{cast.school.slug}/pairs/{foreign.pk}/").status_code == 404
    assert client.post(order_url(cast.school2), {"number": "1"}).status_code == 404
    assert fresh(foreign).status == PairStatus.PROPOSED
