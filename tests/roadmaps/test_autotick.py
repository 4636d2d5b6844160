"""A roadmap that ticks itself (issue 13, item 5): activities linked to portal events.

The two reproductions of the issue: the school's «Издание приказа «Об утверждении
наставнических пар/групп»» stayed «Просрочено» after the portal issued that very order,
and the municipal «approve the roadmap» item stayed overdue after the approval.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from mentorship import events
from mentorship.documents.services import document_regenerate, document_request
from mentorship.events import Event, Evidence
from mentorship.models import AuditEntry, Document, DocumentStatus
from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import CampaignSchool
from monitoring.services.campaigns import campaign_close
from monitoring.services.ended import campaigns_announce_ended
from registry.services.importing import read_table, registry_import
from registry.services.pair_order import pair_order_issue
from roadmaps.models import Activity, ActivityStatus, Roadmap, RoadmapStatus
from roadmaps.services.authoring import activity_update, roadmap_approve
from roadmaps.services.autotick import activities_tick, guess_event
from roadmaps.services.cascade import roadmap_cascade
from roadmaps.services.progress import activity_set_progress
from tests.factories import make_pair, make_roadmap
from tests.monitoring.conftest import start_campaign

PAIR_ORDER_TITLE = "Издание приказа «Об утверждении наставнических пар/групп»"
MUNICIPAL_APPROVAL_TITLE = "Разработка и утверждение муниципальной дорожной карты"


def fresh(activity: Activity) -> Activity:
    with tenant_scope(activity.organization):
        return Activity.objects.select_related("roadmap").get(pk=activity.pk)


def activity_of(org, title: str, roadmap: Roadmap | None = None) -> Activity:
    with tenant_scope(org):
        found = Activity.objects.filter(title=title).select_related("roadmap")
        if roadmap is not None:
            found = found.filter(roadmap=roadmap)
        return found.get()


def auto_audits() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action="activity.auto_done").order_by("pk"))


@pytest.fixture
def municipal(cast) -> Roadmap:
    """The standard municipal roadmap of 2026/2027, its school duties in both schools."""
    roadmap = make_roadmap(cast.muni, actor=cast.methodist)
    with tenant_scope(cast.muni):
        roadmap_cascade(actor=cast.methodist, roadmap=roadmap)
    return roadmap


# --- The keyword rule -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "event"),
    [
        (PAIR_ORDER_TITLE, Event.PAIR_ORDER_ISSUED),
        ("5.2. Издание приказа об утверждении наставнических пар", Event.PAIR_ORDER_ISSUED),
        ("Приказ о закреплении наставнических пар и групп", Event.PAIR_ORDER_ISSUED),
        (MUNICIPAL_APPROVAL_TITLE, Event.ROADMAP_APPROVED),
        ("Утверждение дорожной карты", Event.ROADMAP_APPROVED),
        (
            "Утверждение муниципального Плана мероприятий (дорожной карты) по реализации "
            "Положения о региональной системе (целевой модели) наставничества",
            Event.ROADMAP_APPROVED,
        ),
        ("Разработка и утверждение Дорожных карт (планов мероприятий) в ОУ", "roadmap_approved"),
        ("Промежуточный мониторинг (анкеты обратной связи)", Event.CAMPAIGN_ENDED),
        ("Мониторинг программ наставничества", Event.CAMPAIGN_ENDED),
        ("Итоговое анкетирование удовлетворённости наставников", Event.CAMPAIGN_ENDED),
        ("Формирование баз наставников и наставляемых", Event.REGISTRY_IMPORTED),
        ("Формирование базы наставляемых.", Event.REGISTRY_IMPORTED),
        ("Итоговый муниципальный отчёт", Event.REPORT_GENERATED),
        ("Отчёт по итогам программы наставничества", Event.REPORT_GENERATED),
        # Not clearly the event: left for a person.
        ("Разработка и утверждение положения о наставничестве и дорожной карты ОО", ""),
        ("Размещение «Дорожной карты» внедрения целевой модели наставничества ОО", ""),
        ("Экспертиза и корректировка муниципальной дорожной карты", ""),
        ("Мониторинг реализации дорожной карты", ""),
        ("Мониторинг внедрения целевой модели наставничества", ""),
        ("Анализ результатов мониторинга целевой модели", ""),
        ("Формирование базы наставников на уровне муниципалитета", ""),
        ("Издание приказа о внедрении целевой модели наставничества", ""),
        ("Групповая встреча наставников и наставляемых", ""),
        ("Приказ об организации «Школы наставников»", ""),
        ("", ""),
    ],
)
def test_a_title_is_linked_only_when_it_clearly_names_the_event(title, event):
    assert guess_event(title) == event


def test_the_standard_template_and_the_cascade_link_their_activities(cast, municipal):
    with tenant_scope(cast.muni):
        linked = dict(
            municipal.activities.exclude(auto_event="").values_list("title", "auto_event")
        )
    assert linked[MUNICIPAL_APPROVAL_TITLE] == Event.ROADMAP_APPROVED
    assert linked[PAIR_ORDER_TITLE] == Event.PAIR_ORDER_ISSUED
    assert linked["Итоговый муниципальный отчёт"] == Event.REPORT_GENERATED
    # The school copies carry the link of their origin.
    copy = activity_of(cast.school, PAIR_ORDER_TITLE)
    assert copy.auto_event == Event.PAIR_ORDER_ISSUED


# --- Reproduction 1: the pair order ------------------------------------------------------


def test_the_pair_order_ticks_the_schools_overdue_duty_and_no_other_schools(
    cast, municipal, django_capture_on_commit_callbacks, client
):
    duty = activity_of(cast.school, PAIR_ORDER_TITLE)
    neighbour = activity_of(cast.school2, PAIR_ORDER_TITLE)
    # As the issue saw it: due in November 2026, «Просрочено» in December.
    today = datetime.date(2026, 12, 7)
    assert duty.due_date < today and duty.effective_status(today) == ActivityStatus.OVERDUE

    make_pair(cast.school)
    with django_capture_on_commit_callbacks(execute=True):
        order = pair_order_issue(actor=None, organization=cast.school, number="45-о")
    with tenant_scope(cast.school):
        order.refresh_from_db()
    assert order.status == DocumentStatus.READY, order.error

    duty = fresh(duty)
    assert duty.status == ActivityStatus.DONE
    assert duty.effective_status(today) == ActivityStatus.DONE
    assert duty.status_changed_by is None and duty.auto_done_at is not None
    assert duty.auto_note == f"издан приказ № 45-о от {order.date:%d.%m.%Y}"
    assert duty.auto_url == f"/o/{cast.school.slug}/documents/{order.pk}/"
    # Another school's event ticks nothing here; only the linked duty moved.
    assert fresh(neighbour).status == ActivityStatus.NOT_STARTED
    with tenant_scope(cast.school):
        assert Activity.objects.filter(status=ActivityStatus.DONE).count() == 1
    with tenant_scope(cast.muni):
        assert not municipal.activities.filter(status=ActivityStatus.DONE).exists()
    (entry,) = auto_audits()
    assert entry.organization == cast.school and entry.object_id == str(duty.pk)
    assert entry.actor is None and entry.details["event"] == Event.PAIR_ORDER_ISSUED

    # The curator sees why, with the order's link; the school's page says «Выполнено».
    client.force_login(cast.curator)
    page = client.get(f"/o/{cast.school.slug}/activities/").content.decode()
    assert "Отмечено автоматически" in page
    assert f'<a href="{duty.auto_url}">издан приказ № 45-о' in page

    # Regenerating the same order (or a second event) ticks nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        document_regenerate(actor=None, document=order)
    assert len(auto_audits()) == 1


def test_the_department_sees_the_reason_but_no_link_to_an_order_naming_pupils(
    cast, municipal, client
):
    duty = activity_of(cast.school, PAIR_ORDER_TITLE)
    with tenant_scope(cast.school):
        order = Document.objects.create(
            organization=cast.school, kind="pair_order", number="7", date=timezone.localdate()
        )
    activities_tick(
        Event.PAIR_ORDER_ISSUED,
        cast.school,
        events.document_evidence(order, rule="registry.pair_order"),
    )
    assert fresh(duty).status == ActivityStatus.DONE
    client.force_login(cast.department)
    page = client.get(f"/o/{cast.school.slug}/activities/").content.decode()
    assert "Отмечено автоматически: издан приказ № 7" in page
    assert f"/documents/{order.pk}/" not in page
    # And the order's page is indeed closed to them.
    assert client.get(f"/o/{cast.school.slug}/documents/{order.pk}/").status_code == 403


def test_a_manually_ticked_activity_is_left_alone(cast, municipal):
    duty = activity_of(cast.school, PAIR_ORDER_TITLE)
    with tenant_scope(cast.school):
        activity_set_progress(
            actor=cast.curator, activity=duty, status=ActivityStatus.DONE, comment="Приказ № 3"
        )
    ticked = activities_tick(Event.PAIR_ORDER_ISSUED, cast.school, evidence_on(today()))
    assert ticked == []
    duty = fresh(duty)
    assert duty.status_changed_by == cast.curator and duty.comment == "Приказ № 3"
    assert duty.auto_note == "" and auto_audits() == []


def test_a_persons_later_mark_replaces_the_portals_reason(cast, municipal):
    duty = activity_of(cast.school, PAIR_ORDER_TITLE)
    activities_tick(Event.PAIR_ORDER_ISSUED, cast.school, evidence_on(today()))
    assert fresh(duty).auto_note
    with tenant_scope(cast.school):
        activity_set_progress(
            actor=cast.curator, activity=fresh(duty), status=ActivityStatus.IN_PROGRESS
        )
    duty = fresh(duty)
    assert duty.status == ActivityStatus.IN_PROGRESS
    assert (duty.auto_note, duty.auto_url, duty.auto_done_at) == ("", "", None)


def today() -> datetime.date:
    return timezone.localdate()


def evidence_on(day: datetime.date) -> Evidence:
    return Evidence(note="издан приказ № 1", on=day, url="/x/", rule="registry.pair_order")


def test_only_events_within_the_roadmaps_period_and_not_archived_roadmaps(cast, municipal):
    duty = activity_of(cast.school, PAIR_ORDER_TITLE)
    before = datetime.date(2026, 8, 31)
    after = datetime.date(2027, 9, 1)
    assert activities_tick(Event.PAIR_ORDER_ISSUED, cast.school, evidence_on(before)) == []
    assert activities_tick(Event.PAIR_ORDER_ISSUED, cast.school, evidence_on(after)) == []
    with tenant_scope(cast.school):
        Roadmap.objects.filter(pk=duty.roadmap_id).update(status=RoadmapStatus.ARCHIVED)
    assert activities_tick(Event.PAIR_ORDER_ISSUED, cast.school, evidence_on(today())) == []
    with tenant_scope(cast.school):
        Roadmap.objects.filter(pk=duty.roadmap_id).update(status=RoadmapStatus.DRAFT)
    assert activities_tick(Event.PAIR_ORDER_ISSUED, cast.school, evidence_on(today())) != []


# --- Reproduction 2: the municipal approval --------------------------------------------


def test_approving_the_municipal_roadmap_ticks_its_approval_item(cast, municipal, client):
    item = activity_of(cast.muni, MUNICIPAL_APPROVAL_TITLE, municipal)
    assert item.effective_status(datetime.date(2026, 12, 7)) == ActivityStatus.OVERDUE
    order_date = datetime.date(2026, 8, 20)  # before the period: approval often comes first
    with tenant_scope(cast.muni):
        roadmap_approve(
            actor=cast.department, roadmap=municipal, order_number="512", order_date=order_date
        )
    item = fresh(item)
    assert item.status == ActivityStatus.DONE
    assert item.auto_note == "дорожная карта утверждена приказом № 512 от 20.08.2026"
    assert item.auto_url == f"/o/{cast.muni.slug}/roadmaps/{municipal.pk}/"
    # The school duties are the schools' own: the municipality's approval ticks none.
    for school in (cast.school, cast.school2):
        with tenant_scope(school):
            assert not Activity.objects.filter(status=ActivityStatus.DONE).exists()
    client.force_login(cast.methodist)
    page = client.get(item.auto_url).content.decode()
    assert "Отмечено автоматически" in page and "№ 512 от 20.08.2026" in page


def test_another_municipalitys_approval_ticks_nothing_here(cast, municipal):
    other = make_roadmap(cast.other_muni, actor=cast.other_methodist)
    with tenant_scope(cast.other_muni):
        roadmap_approve(
            actor=None, roadmap=other, order_number="1", order_date=datetime.date(2026, 9, 2)
        )
    assert fresh(activity_of(cast.other_muni, MUNICIPAL_APPROVAL_TITLE)).status == "done"
    assert fresh(activity_of(cast.muni, MUNICIPAL_APPROVAL_TITLE)).status == "not_started"


# --- Campaign ended, registry imported, report generated -------------------------------

CAMPAIGN_DUTY = "Мониторинг программ наставничества"


def test_closing_a_municipal_campaign_ticks_the_schools_it_covers(cast, municipal):
    with tenant_scope(cast.muni):
        watch = municipal.activities.get(title="Мониторинг реализации дорожной карты")
        activity_update(actor=cast.methodist, activity=watch, auto_event=Event.CAMPAIGN_ENDED)
    campaign = start_campaign(cast)
    with tenant_scope(cast.muni, cast.school, cast.school2):
        covered = set(
            CampaignSchool.objects.filter(campaign=campaign).values_list("organization", flat=True)
        )
        campaign_close(actor=cast.methodist, campaign=campaign)
    assert covered == {cast.school.pk, cast.school2.pk}
    for school in (cast.school, cast.school2):
        duty = fresh(activity_of(school, CAMPAIGN_DUTY))
        assert duty.status == ActivityStatus.DONE
        assert duty.auto_note.startswith("завершена кампания мониторинга «Мониторинг")
        assert duty.auto_url.startswith(f"/o/{school.slug}/monitoring/school/")
    watch = fresh(watch)
    assert watch.status == ActivityStatus.DONE
    assert watch.auto_url == f"/o/{cast.muni.slug}/monitoring/campaigns/{campaign.pk}/"


def test_the_morning_scan_announces_campaigns_that_ended_yesterday_only(cast, municipal):
    campaign = start_campaign(cast, days_left=3)
    assert campaigns_announce_ended(day=campaign.ends_on) == 0  # still running that day
    assert fresh(activity_of(cast.school, CAMPAIGN_DUTY)).status == "not_started"
    assert campaigns_announce_ended(day=campaign.ends_on + datetime.timedelta(days=1)) == 1
    assert fresh(activity_of(cast.school, CAMPAIGN_DUTY)).status == "done"
    # The next morning it is not announced again.
    assert campaigns_announce_ended(day=campaign.ends_on + datetime.timedelta(days=2)) == 0


def test_mornings_the_scan_missed_are_caught_up_within_a_week(cast, municipal):
    missed = start_campaign(cast, days_left=3)
    # No scan ran for three mornings; the fourth announces it, as of its own last day.
    assert campaigns_announce_ended(day=missed.ends_on + datetime.timedelta(days=4)) == 1
    duty = fresh(activity_of(cast.school, CAMPAIGN_DUTY))
    assert duty.status == "done"
    assert missed.ends_on.strftime("%d.%m.%Y") in duty.auto_note
    assert campaigns_announce_ended(day=missed.ends_on + datetime.timedelta(days=5)) == 0


def test_a_campaign_that_ended_over_a_week_ago_is_history_not_news(cast, municipal):
    old = start_campaign(cast, days_left=3)
    assert campaigns_announce_ended(day=old.ends_on + datetime.timedelta(days=9)) == 0
    assert fresh(activity_of(cast.school, CAMPAIGN_DUTY)).status == "not_started"


def template_with_one_mentor() -> bytes:
    from registry.services.exporting import template_workbook

    book = load_workbook(io.BytesIO(template_workbook()))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    values = {
        "Фамилия": "Пробный",
        "Имя": "Олег",
        "Отчество": "Саввич",
        "Дата рождения": "02.05.1990",
        "Категория": "педагог",
        "Должность": "учитель физики",
        "Наставник": "да",
        "Наставляемый": "нет",
        "Формы наставничества": "учитель – учитель",
    }
    sheet.append([values.get(h, "") for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_registry_import_ticks_forming_the_base_a_dry_run_does_not(cast, municipal):
    duty = activity_of(cast.school, "Формирование баз наставников и наставляемых")
    content = template_with_one_mentor()
    with tenant_scope(cast.school):
        report = registry_import(
            actor=cast.curator,
            organization=cast.school,
            table=read_table(content, "list.xlsx"),
            dry_run=True,
        )
    assert not report.committed and fresh(duty).status == "not_started"
    with tenant_scope(cast.school):
        report = registry_import(
            actor=cast.curator, organization=cast.school, table=read_table(content, "list.xlsx")
        )
    assert report.committed, report
    duty = fresh(duty)
    assert duty.status == ActivityStatus.DONE
    assert "загружен реестр участников из файла «list.xlsx»" in duty.auto_note
    assert duty.auto_url == f"/o/{cast.school.slug}/registry/"
    assert fresh(activity_of(cast.school2, duty.title)).status == "not_started"


def test_a_generated_report_ticks_the_report_item(cast, django_capture_on_commit_callbacks):
    roadmap = make_roadmap(cast.school, actor=cast.curator)
    item = activity_of(cast.school, "Отчёт по итогам программы наставничества", roadmap)
    assert item.auto_event == Event.REPORT_GENERATED
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            actor=cast.curator, organization=cast.school, kind="school_report"
        )
    with tenant_scope(cast.school):
        document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    item = fresh(item)
    assert item.status == ActivityStatus.DONE
    assert item.auto_note.startswith("сформирован документ «Отчёт школы")
    assert item.auto_url == f"/o/{cast.school.slug}/documents/{document.pk}/"


# --- The bus ----------------------------------------------------------------------------


def test_a_failing_subscriber_never_fails_the_emitter_and_others_still_run(cast, municipal):
    seen = []

    def broken(event, organization, evidence):
        AuditEntry.objects.create(action="broken.write", details={})
        raise RuntimeError("boom")

    def listening(event, organization, evidence):
        seen.append((event, organization.pk))

    events.subscribe(broken)
    events.subscribe(listening)
    try:
        with tenant_scope(cast.muni):
            roadmap_approve(
                actor=None, roadmap=municipal, order_number="9", order_date=datetime.date.today()
            )
    finally:
        events.unsubscribe(broken)
        events.unsubscribe(listening)
    assert seen == [(Event.ROADMAP_APPROVED, cast.muni.pk)]
    # The broken one's write was rolled back with its savepoint, the approval stands.
    assert not AuditEntry.objects.filter(action="broken.write").exists()
    assert AuditEntry.objects.filter(action="roadmap.approve").exists()
    assert fresh(activity_of(cast.muni, MUNICIPAL_APPROVAL_TITLE)).status == "done"


def test_an_unknown_event_is_a_bug_of_the_emitter(cast):
    with pytest.raises(ValueError):
        events.emit("pair_order_printed", cast.school, evidence=evidence_on(today()))


# --- The link in the form and in the import ---------------------------------------------


def test_the_methodist_links_an_activity_in_its_form_and_the_copies_follow(cast, municipal, client):
    with tenant_scope(cast.muni):
        activity = municipal.activities.get(title="Обучение наставников")
    client.force_login(cast.methodist)
    url = f"/o/{cast.muni.slug}/roadmaps/activities/{activity.pk}/edit/"
    form = client.get(url).content.decode()
    assert 'name="auto_event"' in form and "— нет, отмечается вручную —" in form
    data = {
        "title": activity.title,
        "responsible_text": activity.responsible_text,
        "deadline_text": activity.deadline_text,
        "for_every_school": "on",
        "auto_event": Event.REGISTRY_IMPORTED,
    }
    assert client.post(url, data).status_code == 302
    assert fresh(activity).auto_event == Event.REGISTRY_IMPORTED
    assert activity_of(cast.school, "Обучение наставников").auto_event == Event.REGISTRY_IMPORTED
    data["auto_event"] = "no_such_event"
    response = client.post(url, data)
    assert response.status_code == 200 and fresh(activity).auto_event == Event.REGISTRY_IMPORTED


def test_the_import_links_titles_that_name_an_event(cast):
    from pathlib import Path

    from django.conf import settings

    from roadmaps.services.importing import preview_import, roadmap_import

    path = Path(settings.BASE_DIR) / "fixtures/roadmaps/naberezhnye-chelny-2023-2024.docx"
    start, end = datetime.date(2023, 9, 1), datetime.date(2024, 8, 31)
    with tenant_scope(cast.muni):
        preview = preview_import(path.read_bytes(), path.name, period_start=start, period_end=end)
        roadmap = roadmap_import(
            actor=cast.methodist,
            organization=cast.muni,
            preview=preview,
            title=preview["title"],
            period_start=start,
            period_end=end,
        )
        linked = {a.title: a.auto_event for a in roadmap.activities.exclude(auto_event="")}
    approval = [t for t, e in linked.items() if e == Event.ROADMAP_APPROVED]
    assert any(
        t.startswith("Разработка и утверждение муниципальной дорожной карты") for t in approval
    )
    assert all(guess_event(t) == e for t, e in linked.items())


def test_the_demo_roadmaps_link_theirs(db):
    from django.core.management import call_command

    from mentorship.models import Organization
    from mentorship.tenancy.scoping import unscoped_reads

    call_command("load_demo")
    chelny = Organization.objects.get(slug="chelny")
    school = Organization.objects.get(slug="school-40")
    with unscoped_reads():
        current = Roadmap.objects.get(organization=chelny, period_start=datetime.date(2026, 9, 1))
        assert current.activities.get(title=MUNICIPAL_APPROVAL_TITLE).auto_event == (
            Event.ROADMAP_APPROVED
        )
        copy = Activity.objects.get(organization=school, title=PAIR_ORDER_TITLE)
        assert copy.auto_event == Event.PAIR_ORDER_ISSUED
        # Last cycle's roadmap, imported and approved by the demo: its approval item
        # ticked itself with the order's number and date.
        previous = Roadmap.objects.get(organization=chelny, period_start=datetime.date(2023, 9, 1))
        ticked = previous.activities.filter(auto_event=Event.ROADMAP_APPROVED, status="done")
        assert [a.auto_note for a in ticked] == [
            "дорожная карта утверждена приказом № 498 от 12.09.2023"
        ]


def test_the_import_preview_says_which_rows_will_tick_themselves(cast, client, settings, tmp_path):
    from pathlib import Path

    from django.conf import settings as django_settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.ROADMAP_IMPORT_DIR = tmp_path / "imports"
    path = Path(django_settings.BASE_DIR) / "fixtures/roadmaps/naberezhnye-chelny-2023-2024.docx"
    client.force_login(cast.methodist)
    response = client.post(
        f"/o/{cast.muni.slug}/roadmaps/import/",
        {
            "period_start": "2023-09-01",
            "period_end": "2024-08-31",
            "title": "",
            "file": SimpleUploadedFile(path.name, path.read_bytes()),
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Отметится само по событию «утверждена дорожная карта»" in page


def test_a_schools_own_approval_ticks_its_copied_duty_not_another_roadmaps_item(cast, municipal):
    # The methodist links the school duty; the copies follow.
    duty_title = "Разработка и утверждение положения о наставничестве и дорожной карты ОО"
    with tenant_scope(cast.muni):
        origin = municipal.activities.get(title=duty_title)
        activity_update(actor=cast.methodist, activity=origin, auto_event=Event.ROADMAP_APPROVED)
    duty = activity_of(cast.school, duty_title)
    assert duty.auto_event == Event.ROADMAP_APPROVED
    # The school's own roadmaps: this year's and last year's (both from the template).
    own = make_roadmap(cast.school, actor=cast.curator, title="Дорожная карта школы")
    older = make_roadmap(cast.school, actor=cast.curator, title="Прошлогодняя")
    approval_item = "Разработка и утверждение дорожной карты внедрения целевой модели"
    with tenant_scope(cast.school):
        roadmap_approve(
            actor=cast.curator, roadmap=own, order_number="12", order_date=datetime.date(2026, 9, 5)
        )
    assert fresh(duty).status == ActivityStatus.DONE
    assert fresh(activity_of(cast.school, approval_item, own)).status == ActivityStatus.DONE
    assert fresh(activity_of(cast.school, approval_item, older)).status == "not_started"
    assert fresh(activity_of(cast.school2, duty_title)).status == "not_started"
