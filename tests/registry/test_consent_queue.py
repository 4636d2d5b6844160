"""The consent queue as one screen (issue 13, item 2): tick, one date, one click; scans
matched by file name or chosen in a row; the next person after a single consent."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope
from registry.models import Consent, ConsentState, Participant
from registry.services.consent import consent_withdraw
from registry.services.consent.batch import match_scans
from tests.factories import MINIMAL_PDF, make_consented, make_participant

SIGNED = "2026-09-01"


def pupil(org, last_name, first_name="Мария", patronymic="Ивановна"):
    return make_participant(org, last_name=last_name, first_name=first_name, patronymic=patronymic)


def teacher(org, last_name):
    return make_participant(
        org,
        last_name=last_name,
        first_name="Анна",
        patronymic="Сергеевна",
        birth_date=date(1985, 5, 2),
        category="teacher",
        grade=None,
        position="Учитель",
        is_mentor=True,
        is_mentee=False,
    )


def url(org, name="registry:consent_queue_record", **kwargs):
    return reverse(name, kwargs={"org_slug": org.slug, **kwargs})


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def state(person) -> str:
    with tenant_scope(person.organization):
        person.refresh_from_db()
    return person.consent_state


def consents(org) -> int:
    with tenant_scope(org):
        return Consent.objects.count()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def queue(cast):
    return {
        "ivanova": pupil(cast.school, "Иванова"),
        "petrov": pupil(cast.school, "Петров", "Илья", "Олегович"),
        "sidorova": teacher(cast.school, "Сидорова"),
    }


def test_one_click_records_the_ticked_with_one_date_and_audits_each(client, cast, queue):
    ivanova, petrov, sidorova = queue["ivanova"], queue["petrov"], queue["sidorova"]
    client.force_login(cast.curator)
    response = client.post(
        url(cast.school),
        {
            "given_on": SIGNED,
            "on_paper": "on",
            "person": [ivanova.pk, sidorova.pk],
            f"giver_name_{ivanova.pk}": "Иванова Ольга Петровна",
            f"giver_relation_{ivanova.pk}": "мать",
            # Typed for an unticked row: ignored.
            f"giver_name_{petrov.pk}": "Петров Олег",
        },
    )
    assert response.status_code == 302 and response["Location"] == url(
        cast.school, "registry:consent_queue"
    )
    assert state(ivanova) == state(sidorova) == ConsentState.VALID
    assert state(petrov) == ConsentState.MISSING
    with tenant_scope(cast.school):
        given = Consent.objects.get(participant=ivanova)
        assert (given.given_by, given.giver_name, given.giver_relation) == (
            "parent",
            "Иванова Ольга Петровна",
            "мать",
        )
        assert given.given_on == date(2026, 9, 1) and given.on_paper
        assert Consent.objects.get(participant=sidorova).given_by == "self"
        audited = AuditEntry.objects.filter(action="consent.record")
        assert sorted(int(e.object_id) for e in audited) == sorted([ivanova.pk, sidorova.pk])
        assert {e.details["source"] for e in audited} == {"queue"}
    page = client.get(response["Location"]).content.decode()
    assert "Записано 2 согласия" in page
    assert "Петров Илья Олегович" in page and "Иванова Мария Ивановна" not in page


def test_scans_uploaded_together_are_matched_by_file_name(client, cast, queue):
    ivanova, petrov = queue["ivanova"], queue["petrov"]
    other = pupil(cast.school, "Иванова", "Дарья", "Петровна")
    client.force_login(cast.curator)
    response = client.post(
        url(cast.school),
        {
            "given_on": SIGNED,
            "person": [ivanova.pk, petrov.pk, other.pk],
            **{f"giver_name_{p.pk}": f"Родитель {p.pk}" for p in (ivanova, petrov, other)},
            **{f"giver_relation_{p.pk}": "отец" for p in (ivanova, petrov, other)},
            "scans": [pdf("Иванова_Мария_согласие.pdf"), pdf("Иванова Д.П..pdf")],
            f"scan_{petrov.pk}": pdf("scan001.pdf"),  # chosen in the row
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_scope(cast.school):
        scans = {c.participant_id: c.scan.name for c in Consent.objects.all()}
    assert set(scans) == {ivanova.pk, petrov.pk, other.pk}
    assert all(scans[p.pk].endswith(f"consent-{p.pk}.pdf") for p in (ivanova, petrov, other))


BAD_SCANS = {
    "not a pdf": (
        lambda people: {"scans": [SimpleUploadedFile("Иванова.pdf", b"<html>not a pdf</html>")]},
        "Загрузите PDF, изображение (JPG, PNG, TIFF) или документ Word.",
    ),
    "nobody's": (
        lambda people: {"scans": [pdf("Смирнов.pdf")]},
        "по имени файла не понять, чей он",
    ),
    "two people": (
        lambda people: {"scans": [pdf("Иванова.pdf")]},
        "подходит нескольким отмеченным",
    ),
    "two scans of one": (
        lambda people: {"scans": [pdf("Петров 1.pdf"), pdf("Петров 2.pdf")]},
        "Два скана одного человека",
    ),
    "row and pile": (
        lambda people: {"scans": [pdf("Петров.pdf")], f"scan_{people[1].pk}": pdf("x.pdf")},
        "выбраны два скана",
    ),
    "row of an unticked": (
        lambda people: {f"scan_{people[3].pk}": pdf("x.pdf")},
        "выбран в строке человека, который не отмечен",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_SCANS))
def test_a_bad_scan_writes_nothing_and_says_why_in_russian(client, cast, queue, case):
    make, message = BAD_SCANS[case]
    ivanova, petrov = queue["ivanova"], queue["petrov"]
    namesake = pupil(cast.school, "Иванова", "Дарья", "Петровна")
    untouched = pupil(cast.school, "Неотмеченная")
    ticked = [ivanova, petrov, namesake]
    client.force_login(cast.curator)
    data = {
        "given_on": SIGNED,
        "person": [p.pk for p in ticked],
        **{f"giver_name_{p.pk}": "Родитель" for p in ticked},
        **{f"giver_relation_{p.pk}": "мать" for p in ticked},
    }
    # The namesake has the same surname; "Иванова.pdf" cannot tell the two apart.
    if case == "not a pdf":
        data["person"] = [ivanova.pk, petrov.pk]
    response = client.post(url(cast.school), {**data, **make([*ticked, untouched])})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert consents(cast.school) == 0
    assert {state(p) for p in (*ticked, untouched)} == {ConsentState.MISSING}
    with tenant_scope(cast.school):
        assert not AuditEntry.objects.filter(action="consent.record").exists()
    # What was typed stays in the table.
    assert 'value="Родитель"' in response.content.decode()


BAD_ROWS = {
    "minor without a parent": ({}, "Укажите ФИО родителя или законного представителя."),
    "future date": (
        {"given_on": str(timezone.localdate() + timedelta(days=1))},
        "Дата согласия в будущем.",
    ),
    "no date": ({"given_on": ""}, "Дата подписания"),
    "nobody ticked": ({"person": []}, "Отметьте в таблице тех"),
}


@pytest.mark.parametrize("case", sorted(BAD_ROWS))
def test_the_rules_of_the_single_form_refuse_the_whole_batch(client, cast, queue, case):
    overrides, message = BAD_ROWS[case]
    ivanova, sidorova = queue["ivanova"], queue["sidorova"]
    client.force_login(cast.curator)
    data = {"given_on": SIGNED, "person": [ivanova.pk, sidorova.pk], **overrides}
    response = client.post(url(cast.school), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert consents(cast.school) == 0


def test_another_schools_person_is_not_found_and_nothing_is_written(client, cast, queue):
    stranger = pupil(cast.school2, "Чужая")
    client.force_login(cast.curator)
    response = client.post(
        url(cast.school),
        {"given_on": SIGNED, "person": [queue["sidorova"].pk, stranger.pk]},
    )
    assert response.status_code == 404
    assert consents(cast.school) == 0 and consents(cast.school2) == 0
    assert client.post(url(cast.school), {"given_on": SIGNED, "person": ["x"]}).status_code == 404


def test_the_school_viewer_sees_the_queue_but_cannot_record(client, cast, queue):
    client.force_login(cast.viewer)
    page = client.get(url(cast.school, "registry:consent_queue"))
    assert page.status_code == 200 and "consent-batch" not in page.content.decode()
    response = client.post(url(cast.school), {"given_on": SIGNED, "person": [queue["sidorova"].pk]})
    assert response.status_code == 403
    assert consents(cast.school) == 0


def test_withdrawn_people_are_listed_but_cannot_be_ticked(client, cast):
    person = make_consented(cast.school, last_name="Отозвавшая")
    with tenant_scope(cast.school):
        consent_withdraw(actor=None, consent=person.consents.get(), reason="семья против")
    client.force_login(cast.curator)
    html = client.get(url(cast.school, "registry:consent_queue")).content.decode()
    assert "Отозвавшая" in html and f'name="person" value="{person.pk}"' not in html


def test_the_queue_prefills_the_parent_of_a_wrongly_signed_consent(client, cast):
    from registry.services.consent import consent_record

    person = pupil(cast.school, "Неверная")
    with tenant_scope(cast.school):
        consent_record(
            actor=None,
            participant=person,
            given_by="parent",
            giver_name="Неверная Ольга",
            giver_relation="мать",
            given_on=date(2026, 9, 1),
            purposes=["programme"],
            valid_until=date(2026, 10, 1),
        )
    client.force_login(cast.curator)
    html = client.get(url(cast.school, "registry:consent_queue")).content.decode()
    assert 'value="Неверная Ольга"' in html
    assert '<option value="мать" selected>' in html


# --- The next person after a single consent ------------------------------------------


def test_a_single_consent_from_the_queue_opens_the_next_person(client, cast, queue):
    ivanova, petrov, sidorova = queue["ivanova"], queue["petrov"], queue["sidorova"]
    client.force_login(cast.curator)
    page = client.get(
        url(cast.school, "registry:participant_detail", participant_id=ivanova.pk) + "?from=queue"
    ).content.decode()
    assert 'name="from" value="queue"' in page and 'data-testid="queue-left"' in page
    response = client.post(
        url(cast.school, "registry:consent_record", participant_id=ivanova.pk),
        {
            "from": "queue",
            "given_by": "parent",
            "giver_name": "Иванова Ольга Петровна",
            "giver_relation": "мать",
            "given_on": SIGNED,
            "purposes": ["programme"],
            "on_paper": "on",
        },
    )
    # The queue runs Иванова, Петров, Сидорова: Петров is next, two are left.
    assert response.status_code == 302
    assert response["Location"] == (
        url(cast.school, "registry:participant_detail", participant_id=petrov.pk)
        + "?from=queue#consents"
    )
    assert state(ivanova) == ConsentState.VALID
    page = client.get(response["Location"]).content.decode()
    assert "осталось 2 человек" in page or "осталось 2 человека" in page

    # The last one sends the curator back to an empty queue.
    with tenant_scope(cast.school):
        Participant.objects.filter(pk=petrov.pk).update(consent_state=ConsentState.VALID)
    last = client.post(
        url(cast.school, "registry:consent_record", participant_id=sidorova.pk),
        {"from": "queue", "given_by": "self", "given_on": SIGNED, "purposes": ["programme"]},
    )
    assert last["Location"] == url(cast.school, "registry:consent_queue")


def test_without_the_queue_the_person_page_stays(client, cast, queue):
    ivanova = queue["ivanova"]
    client.force_login(cast.curator)
    response = client.post(
        url(cast.school, "registry:consent_record", participant_id=ivanova.pk),
        {
            "given_by": "parent",
            "giver_name": "Иванова Ольга Петровна",
            "given_on": SIGNED,
            "purposes": ["programme"],
        },
    )
    assert response["Location"].endswith(f"/registry/{ivanova.pk}/#consents")


def test_an_adults_consent_signed_by_a_parent_is_refused_on_the_single_form(client, cast, queue):
    client.force_login(cast.curator)
    response = client.post(
        url(cast.school, "registry:consent_record", participant_id=queue["sidorova"].pk),
        {
            "given_by": "parent",
            "giver_name": "Сидорова Мать",
            "given_on": SIGNED,
            "purposes": ["programme"],
        },
    )
    assert response.status_code == 400
    assert "за взрослого не принимается" in response.content.decode()
    assert consents(cast.school) == 0


# --- Matching scans by name, directly ----------------------------------------------------


def test_match_scans_by_surname_first_name_and_initials(cast):
    a = pupil(cast.school, "Ёлкина", "Анна", "Петровна")
    b = pupil(cast.school, "Ёлкина", "Анна", "Сергеевна")
    c = pupil(cast.school, "Фролов", "Иван", "Ильич")
    files = [pdf("елкина анна с.pdf"), pdf("ЁЛКИНА_Анна_Петровна.jpg"), pdf("Фролов.pdf")]
    matched, problems = match_scans(files, [a, b, c])
    assert problems == []
    assert {pk: f.name for pk, f in matched.items()} == {
        b.pk: "елкина анна с.pdf",
        a.pk: "ЁЛКИНА_Анна_Петровна.jpg",
        c.pk: "Фролов.pdf",
    }
