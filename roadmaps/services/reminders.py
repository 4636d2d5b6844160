"""Morning deadline reminders: one Russian digest e-mail per person, plus in-app notifications.

What is reminded, for a given day: activities due within the next 7 days (one
`ActivityDueDate` range query from tomorrow on), due tomorrow, and overdue
(`Activity.due_date` before the day; a recurring one as of its latest date passed).
Something due today was "due tomorrow" yesterday and is "overdue" tomorrow, so today it
is not repeated. Never done activities, never archived roadmaps. Each (person, activity,
due date, kind) is reminded at most once: see mentorship/notifications/ledger.py for
how overlapping runs and dead workers are handled.

Who is reminded: the activity's responsible users; where nobody is, a school's curators
(its copy of a municipal duty, or its own activity) and, for a municipality's copy of the
regional roadmap, that municipality's methodists. The link opens the activity itself,
at its own organisation's address: the copy, never the regional original.

The number of queries is fixed: it does not grow with activities or people.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from mentorship.http import absolute_url
from mentorship.models import EDUCATIONAL_KINDS, Membership, OrganizationKind, Role, User
from mentorship.notifications import ledger
from mentorship.notifications.ledger import DeliveryKey
from mentorship.notifications.services import NewNotification, notifications_create_many
from mentorship.tenancy.scoping import unscoped_reads
from roadmaps.models import Activity, ActivityDueDate, ActivityStatus, RoadmapStatus

logger = logging.getLogger(__name__)

TOPIC = "roadmaps.activity"
WINDOW_DAYS = 7
# The activity's page where its responsible person marks progress, and its path should
# the name not resolve (reversed once per run: reversing per item would cost seconds).
ACTIVITY_URL_NAME = "roadmaps:activity_progress"
ACTIVITY_PATH_FALLBACK = "/o/{slug}/roadmaps/activities/{id}/progress/"
TITLE_LIMIT = 200
ONE_DAY = timedelta(days=1)


class ReminderKind(StrEnum):
    OVERDUE = "overdue"
    TOMORROW = "tomorrow"
    WEEK = "week"


@dataclass(frozen=True, slots=True)
class DueItem:
    """One thing to remind about, with everything the e-mail and notification show."""

    activity_id: int
    organization_id: int
    organization_kind: str
    kind: ReminderKind
    due_on: date
    title: str
    roadmap: str
    organization: str
    path: str
    # The organisation's copy of a duty cascaded from above (a school's of a municipal
    # roadmap, a municipality's of the regional one).
    cascaded: bool = False


@dataclass
class ReminderReport:
    day: date
    users_mailed: int = 0
    items: int = 0  # items delivered in those e-mails
    skipped: int = 0  # already sent, or held by another run at the same time
    failed_users: int = 0  # mail raised: claims released, the next run retries
    deferred_users: int = 0  # not tried: the run's lease was running out; released too
    # Due items with nobody to remind: no responsible user and no stand-in (a school's
    # curator, the methodist of a municipality for its copy of the regional roadmap).
    unassigned: int = 0
    failed_user_ids: list[int] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        data.pop("failed_user_ids")
        return data


def send_reminders(*, day: date) -> ReminderReport:
    """Claim, send and confirm the day's reminders. Call outside any transaction."""
    report = ReminderReport(day=day)
    items = unscoped_collect_due_items(day)
    recipients = _recipients(items)
    wanted: dict[DeliveryKey, int] = {}
    by_key: dict[tuple[int, date, str], DueItem] = {}
    for item in items:
        users = recipients.get(item.activity_id, ())
        if not users:
            report.unassigned += 1
        by_key[(item.activity_id, item.due_on, item.kind)] = item
        for user_id in users:
            key = DeliveryKey(user_id, TOPIC, item.activity_id, item.due_on, item.kind)
            wanted[key] = item.organization_id
    if not wanted:
        return report

    run_id = uuid.uuid4()
    lease = ledger.Lease.start()
    held = ledger.claim(wanted, run_id=run_id, lease=lease)
    report.skipped = len(wanted) - len(held)
    digests: dict[int, list[DueItem]] = defaultdict(list)
    for key in held:
        digests[key.recipient_id].append(by_key[(key.object_id, key.due_on, key.kind)])
    _deliver(day, digests, run_id, lease, report)
    return report


def unscoped_collect_due_items(day: date) -> list[DueItem]:
    """Every tenant's activities to remind about on `day`: a cross-tenant read by design.

    Two queries: the due-date rows within the window (indexed range on `due_on`) and the
    overdue activities (indexed `due_date`). Only the reminder service may call this.
    """
    tomorrow = day + ONE_DAY
    path = activity_path_pattern()
    org_fields = ("organization_id", "organization__kind", "organization__short_name")
    shown = ("number", "title", "roadmap__title", "organization__slug", "roadmap__origin_id")
    items: list[DueItem] = []
    with unscoped_reads():
        upcoming = (
            ActivityDueDate.objects.filter(due_on__range=(tomorrow, day + timedelta(WINDOW_DAYS)))
            .exclude(activity__status=ActivityStatus.DONE)
            .exclude(activity__roadmap__status=RoadmapStatus.ARCHIVED)
            .order_by()
            .values_list("activity_id", "due_on", *(f"activity__{f}" for f in org_fields + shown))
        )
        for activity_id, due_on, *rest in upcoming.iterator(chunk_size=5000):
            kind = ReminderKind.TOMORROW if due_on == tomorrow else ReminderKind.WEEK
            items.append(_item(activity_id, due_on, kind, rest, path))
        # A recurring activity is overdue since its latest due date that has passed, not
        # its first: each missed date is reminded once, with the date that was missed.
        latest = (
            ActivityDueDate.objects.filter(activity=OuterRef("pk"), due_on__lt=day)
            .order_by("-due_on")
            .values("due_on")[:1]
        )
        overdue = (
            Activity.objects.filter(due_date__lt=day)
            .exclude(status=ActivityStatus.DONE)
            .exclude(roadmap__status=RoadmapStatus.ARCHIVED)
            .order_by()
            .annotate(missed=Coalesce(Subquery(latest), F("due_date")))
            .values_list("pk", "missed", *org_fields, *shown)
        )
        for activity_id, due_on, *rest in overdue.iterator(chunk_size=5000):
            items.append(_item(activity_id, due_on, ReminderKind.OVERDUE, rest, path))
    return items


def _item(activity_id: int, due_on: date, kind: ReminderKind, row: list, path: str) -> DueItem:
    org_id, org_kind, org_name, number, title, roadmap, slug, roadmap_origin_id = row
    title = f"{number} {title}".strip()
    if len(title) > TITLE_LIMIT:
        title = title[: TITLE_LIMIT - 1].rstrip() + "…"
    return DueItem(
        activity_id=activity_id,
        organization_id=org_id,
        organization_kind=org_kind,
        kind=kind,
        due_on=due_on,
        title=title,
        roadmap=roadmap,
        organization=org_name,
        path=path.format(slug=slug, id=activity_id),
        cascaded=roadmap_origin_id is not None,
    )


def activity_path_pattern() -> str:
    """The path of an activity's page with `{slug}` and `{id}` holes, reversed once."""
    slug, pk = "reminder-slug-placeholder", 987654321
    try:
        path = reverse(ACTIVITY_URL_NAME, kwargs={"org_slug": slug, "activity_id": pk})
    except NoReverseMatch:
        return ACTIVITY_PATH_FALLBACK
    return path.replace(slug, "{slug}").replace(str(pk), "{id}")


def _stand_in_role(item: DueItem) -> str | None:
    """Who answers for an activity nobody is responsible for: at a school its curators;
    in a municipality's copy of the regional roadmap its methodists (the municipal
    methodical centre carries out the region's duties). Elsewhere nobody is guessed."""
    if item.organization_kind in EDUCATIONAL_KINDS:
        return Role.CURATOR
    if item.organization_kind == OrganizationKind.MUNICIPALITY and item.cascaded:
        return Role.METHODIST
    return None


def _recipients(items: list[DueItem]) -> dict[int, list[int]]:
    """Activity id → user ids, each once: its active responsible users; failing those,
    the organisation's stand-ins (`_stand_in_role`). Two queries whatever the items."""
    activity_ids = list({item.activity_id for item in items})
    if not activity_ids:
        return {}
    responsible: dict[int, list[int]] = defaultdict(list)
    through = Activity.responsible_users.through
    for ids in _any_of(activity_ids):
        pairs = through.objects.filter(activity_id__in=ids, user__is_active=True)
        for activity_id, user_id in pairs.values_list("activity_id", "user_id"):
            responsible[activity_id].append(user_id)
    wanted: dict[str, set[int]] = defaultdict(set)
    for item in items:
        role = _stand_in_role(item) if item.activity_id not in responsible else None
        if role is not None:
            wanted[role].add(item.organization_id)
    stand_ins: dict[tuple[str, int], list[int]] = defaultdict(list)
    if wanted:
        either = Q()
        for role, org_ids in wanted.items():
            either |= Q(role=role, organization_id__in=sorted(org_ids))
        memberships = (
            Membership.objects.filter(either, user__is_active=True)
            .order_by("user_id")
            .values_list("role", "organization_id", "user_id")
        )
        for role, org_id, user_id in memberships:
            stand_ins[(role, org_id)].append(user_id)
    result = dict(responsible)
    for item in items:
        if item.activity_id in result:
            continue
        role = _stand_in_role(item)
        users = stand_ins.get((role, item.organization_id)) if role else None
        if users:
            result[item.activity_id] = users
    return result


# Placeholders per query off PostgreSQL: under SQLite's oldest variable limit (999).
PORTABLE_CHUNK = 900


def _any_of(ids: list[int]) -> list[RawSQL] | list[list[int]]:
    """The right-hand sides of `IN` covering `ids`, one query each.

    On PostgreSQL one `IN (SELECT unnest(array))`: one array parameter instead of tens of
    thousands of placeholders, which psycopg and the planner would take a second over.
    Elsewhere (the embedded SQLite) plain lists in chunks, since the array cast is
    PostgreSQL's own syntax.
    """
    if connection.vendor == "postgresql":
        return [RawSQL("SELECT unnest(%s::bigint[])", (ids,))]
    return [ids[i : i + PORTABLE_CHUNK] for i in range(0, len(ids), PORTABLE_CHUNK)]


def _deliver(
    day: date,
    digests: dict[int, list[DueItem]],
    run_id: uuid.UUID,
    lease: ledger.Lease,
    report: ReminderReport,
) -> None:
    """Send one e-mail per person over one connection, each confirmed right after it goes.

    A person's claims are marked sent, with their in-app notifications, in one short
    transaction straight after their letter: a worker killed mid-run leaves exactly the
    unsent ones for the next run. Whatever is not sent is released at the end.
    """
    users = User.objects.filter(pk__in=list(digests)).order_by("pk")
    users = users.only("email", "first_name", "patronymic", "last_name")
    wording = _Wording.for_day(day)
    try:
        with get_connection() as connection:
            for user in users:
                if not lease.allows_another():
                    # The claims would expire under the letter: leave the rest to a retry.
                    report.deferred_users = len(digests) - report.users_mailed - report.failed_users
                    break
                try:
                    message = _message(wording, user, digests[user.pk], connection)
                    delivered = connection.send_messages([message])
                except SoftTimeLimitExceeded:
                    raise  # the task's time is up: stop here, the finally below releases
                except Exception:
                    logger.exception("Deadline digest to user %s failed", user.pk)
                    delivered = 0
                if delivered:
                    _confirm(wording, run_id, user.pk, digests[user.pk])
                    report.users_mailed += 1
                    report.items += len(digests[user.pk])
                else:
                    report.failed_user_ids.append(user.pk)
                    report.failed_users += 1
    finally:
        # Whatever was not sent (failures, the lease running out, an error that ended
        # the loop) is released, so the next run retries it at once.
        ledger.release(run_id=run_id)


def _confirm(wording: _Wording, run_id: uuid.UUID, user_id: int, items: list[DueItem]) -> None:
    with transaction.atomic():
        if not ledger.mark_sent(run_id=run_id, recipient_id=user_id):
            # Only if this run outlived its lease and another took the claims over.
            logger.warning("Deadline digest to user %s sent after its claim was lost", user_id)
        notifications_create_many(wording.notification(user_id, item) for item in items)


@dataclass(frozen=True)
class _Wording:
    """The run's phrases, translated once: a morning run formats tens of thousands of items."""

    day: str
    subject: str
    headings: dict[ReminderKind, str]
    when: dict[ReminderKind, str]
    due: str
    notifications_link: str

    @classmethod
    def for_day(cls, day: date) -> _Wording:
        return cls(
            day=_fmt(day),
            subject=_("Сроки мероприятий дорожных карт на %(day)s") % {"day": _fmt(day)},
            headings={
                ReminderKind.OVERDUE: _("Просрочены"),
                ReminderKind.TOMORROW: _("Срок — завтра, %(date)s") % {"date": _fmt(day + ONE_DAY)},
                ReminderKind.WEEK: _("Срок — в ближайшие %(days)s дней") % {"days": WINDOW_DAYS},
            },
            when={
                ReminderKind.OVERDUE: _("Просрочено: срок был %(date)s."),
                ReminderKind.TOMORROW: _("Срок — завтра, %(date)s."),
                ReminderKind.WEEK: _("Срок — %(date)s."),
            },
            due=_("срок"),
            notifications_link=absolute_url(reverse("notification_list")),
        )

    def entry(self, item: DueItem) -> str:
        """One item of the e-mail: three plain-text lines (formatted here, not in the
        template, which would take ~30x longer for a digest of hundreds of items)."""
        link = absolute_url(item.path)
        where = f"{item.organization}, «{item.roadmap}»; {self.due} {_fmt(item.due_on)}"
        return f"— {item.title}\n  {where}\n  {link}\n"

    def sections(self, items: list[DueItem]) -> list[dict[str, str]]:
        order = sorted(items, key=lambda i: (i.due_on, i.organization, i.title))
        sections = []
        for kind in ReminderKind:
            entries = [self.entry(item) for item in order if item.kind == kind]
            if entries:
                sections.append({"heading": self.headings[kind], "text": "\n".join(entries)})
        return sections

    def notification(self, user_id: int, item: DueItem) -> NewNotification:
        when = self.when[item.kind] % {"date": _fmt(item.due_on)}
        body = f"{when} {item.organization}, «{item.roadmap}»"
        return NewNotification(user_id, item.organization_id, item.title, body, item.path)


def _message(wording: _Wording, user: User, items: list[DueItem], connection) -> EmailMessage:
    context = {
        "name": " ".join(p for p in (user.first_name, user.patronymic) if p),
        "day": wording.day,
        "sections": wording.sections(items),
        "notifications_link": wording.notifications_link,
    }
    return EmailMessage(
        subject=wording.subject,
        body=render_to_string("roadmaps/email/deadline_digest.txt", context),
        to=[user.email],
        connection=connection,
    )


def _fmt(value: date) -> str:
    return value.strftime("%d.%m.%Y")
