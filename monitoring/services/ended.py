"""«Campaign ended» on the core's event bus (mentorship/events.py), so that a roadmap's
«Промежуточный мониторинг (анкеты обратной связи)» ticks itself.

A campaign ends once: when it is closed early (`campaign_close`), or on the day after its
end date, found by the morning scan (`campaigns_announce_ended`, a beat task). The event
goes to the campaign's organisation and to every school it covers, each with the page it
reads: the municipality its campaign page, a school its own part of the campaign.
Each morning looks a week back for campaigns not yet announced, so mornings the beat
missed are caught up by the next one that runs; each campaign is announced once
(`Campaign.ended_announced_at`), and announcing twice would tick nothing twice anyway.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import events
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from monitoring import access
from monitoring.models import Campaign, CampaignSchool


def _note(campaign: Campaign, day: datetime.date) -> str:
    return _("завершена кампания мониторинга «%(t)s» (%(d)s)") % {
        "t": campaign.title,
        "d": day.strftime("%d.%m.%Y"),
    }


def campaign_announce_ended(campaign: Campaign, day: datetime.date) -> None:
    """Emit «campaign ended» for the campaign's organisation and each school it covers,
    and remember that it went out."""
    with tenant_scope(campaign.organization):
        Campaign.objects.filter(pk=campaign.pk).update(ended_announced_at=timezone.now())
    with unscoped_reads():
        # Which schools it covers: each school's own row, to scope the event to it.
        rows = list(CampaignSchool.objects.filter(campaign=campaign).select_related("organization"))
    note = _note(campaign, day)
    owner = campaign.organization
    if all(row.organization_id != owner.pk for row in rows):
        with tenant_scope(owner):
            url = reverse(
                "monitoring:campaign_detail",
                kwargs={"org_slug": owner.slug, "campaign_id": campaign.pk},
            )
            evidence = events.Evidence(
                note=note, on=day, url=url, rule=access.CAMPAIGN_READ.name, subject=campaign
            )
            events.emit(events.Event.CAMPAIGN_ENDED, owner, evidence=evidence)
    for row in rows:
        school = row.organization
        with tenant_scope(school):
            url = reverse(
                "monitoring:school_campaign",
                kwargs={"org_slug": school.slug, "school_campaign_id": row.pk},
            )
            evidence = events.Evidence(
                note=note, on=day, url=url, rule=access.SCHOOL_CAMPAIGN_READ.name, subject=campaign
            )
            events.emit(events.Event.CAMPAIGN_ENDED, school, evidence=evidence)


# How far back a morning looks for campaigns that ended while no morning scan ran (a
# worker down over a long weekend); older ones are history, not news.
CATCH_UP_DAYS = 7


def campaigns_announce_ended(*, day: datetime.date) -> int:
    """The morning scan: campaigns whose last day was in the week before `day` and that
    were not closed early (those were announced at closing). Each is announced as of its
    own last day. Returns how many were announced."""
    yesterday = day - datetime.timedelta(days=1)
    since = day - datetime.timedelta(days=CATCH_UP_DAYS)
    with unscoped_reads():  # every organisation's campaigns: a cross-tenant scan by design
        campaigns = list(
            Campaign.objects.filter(
                ends_on__gte=since,
                ends_on__lte=yesterday,
                closed_at__isnull=True,
                ended_announced_at__isnull=True,
            )
            .select_related("organization")
            .order_by("pk")
        )
    for campaign in campaigns:
        campaign_announce_ended(campaign, campaign.ends_on)
    return len(campaigns)
