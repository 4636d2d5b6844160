"""Writes of the region's oversight (issue 17): a municipality submits its year's figures
(frozen as submitted), the region returns a submission with a comment; the region
comments on a municipal roadmap or report and the municipality answers.

Each runs in one transaction inside the municipality's tenant scope (the web view at the
municipality's address is already in it; the region reaches it through its membership
above) and records an audit entry. Figures are counts, never people.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.conflicts import conflicts, lock
from mentorship.models import Membership, Organization, OrganizationKind, Role, User
from mentorship.notifications.services import NewNotification, notifications_create_many
from monitoring.indicators.models import (
    Review,
    ReviewComment,
    SubmissionStatus,
    YearSubmission,
)
from monitoring.indicators.selectors.oversight import unscoped_year_figures
from monitoring.indicators.services.inputs import check_year
from roadmaps.models import Roadmap

MAX_TEXT = 5000


def _notify(review: Review, text: str, *, to_municipality: bool, author: User | None) -> None:
    """In-app notifications after the commit: a comment of the region reaches the
    municipality's methodists and department; an answer reaches who opened the thread."""
    municipality = review.organization
    if to_municipality:
        user_ids = list(
            Membership.objects.filter(
                organization=municipality,
                role__in=(Role.METHODIST, Role.DEPARTMENT),
                user__is_active=True,
            )
            .values_list("user_id", flat=True)
            .distinct()
        )
        title = _("Замечание региона: %(m)s") % {"m": municipality.short_name}
    else:
        user_ids = [review.created_by_id] if review.created_by_id else []
        title = _("Ответ муниципалитета: %(m)s") % {"m": municipality.short_name}
    url = reverse(
        "indicators:review", kwargs={"org_slug": municipality.slug, "review_id": review.pk}
    )
    author_id = author.pk if author is not None else None
    rows = [
        NewNotification(uid, municipality.pk, title, text[:500], url)
        for uid in user_ids
        if uid != author_id
    ]
    transaction.on_commit(lambda: notifications_create_many(rows))


def _check_municipality(organization: Organization) -> None:
    if organization.kind != OrganizationKind.MUNICIPALITY:
        raise ValidationError(_("Отчёт в регион сдаёт муниципалитет."))


def _clean_text(text: str, *, field: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("Напишите текст.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({field: _("Не больше %(n)s знаков.") % {"n": MAX_TEXT}})
    return text


@transaction.atomic
def submission_submit(*, actor: User, municipality: Organization, year: int) -> YearSubmission:
    """«Сдать отчёт»: freeze the municipality's figures of the year as submitted.

    Refused while a submission of the year stands (submitted and not returned); after a
    return the same row is submitted again with the figures of now.
    """
    _check_municipality(municipality)
    check_year(year)
    figures = unscoped_year_figures(municipality, year).as_json()
    now = timezone.now()
    with conflicts():
        existing = (
            YearSubmission.objects.select_for_update()
            .filter(organization=municipality, year=year)
            .first()
        )
        if existing is not None and existing.is_submitted:
            raise ValidationError(
                _("Отчёт за %(y)s год уже сдан в регион: его может вернуть только регион.")
                % {"y": year}
            )
        if existing is None:
            submission = YearSubmission.objects.create(
                organization=municipality,
                year=year,
                figures=figures,
                submitted_at=now,
                submitted_by=actor,
            )
        else:
            submission = existing
            submission.status = SubmissionStatus.SUBMITTED
            submission.figures = figures
            submission.submitted_at = now
            submission.submitted_by = actor
            submission.times_submitted += 1
            submission.save()
    audit.record(
        actor=actor,
        organization=municipality,
        action="indicators.submission_submit",
        obj=submission,
        year=year,
        times=submission.times_submitted,
    )
    return submission


@transaction.atomic
def submission_return(*, actor: User, submission: YearSubmission, comment: str) -> YearSubmission:
    """The region returns a submission for rework, saying why; the municipality may then
    submit again. The comment also opens a review thread about the year's report, so
    that it reaches the municipality's to-do list and can be answered."""
    comment = _clean_text(comment, field="comment")
    lock(submission)
    submission.refresh_from_db()
    if not submission.is_submitted:
        raise ValidationError(_("Отчёт уже возвращён на доработку."))
    submission.status = SubmissionStatus.RETURNED
    submission.returned_at = timezone.now()
    submission.returned_by = actor
    submission.return_comment = comment
    submission.save(update_fields=["status", "returned_at", "returned_by", "return_comment"])
    review_open(
        actor=actor,
        municipality=submission.organization,
        year=submission.year,
        text=_("Отчёт за %(y)s год возвращён на доработку: %(c)s")
        % {"y": submission.year, "c": comment},
    )
    audit.record(
        actor=actor,
        organization=submission.organization,
        action="indicators.submission_return",
        obj=submission,
        year=submission.year,
    )
    return submission


@transaction.atomic
def review_open(
    *,
    actor: User,
    municipality: Organization,
    text: str,
    roadmap: Roadmap | None = None,
    year: int | None = None,
) -> Review:
    """The region's comment or recommendation on a municipal roadmap or a year's report."""
    _check_municipality(municipality)
    text = _clean_text(text)
    if roadmap is not None and roadmap.organization_id != municipality.pk:
        raise ValidationError({"roadmap": _("Это дорожная карта другой организации.")})
    if year is not None:
        check_year(year)
    review = Review.objects.create(
        organization=municipality, roadmap=roadmap, year=year, created_by=actor
    )
    ReviewComment.objects.create(
        organization=municipality, review=review, author=actor, from_region=True, text=text
    )
    _notify(review, text, to_municipality=True, author=actor)
    audit.record(
        actor=actor, organization=municipality, action="indicators.review_open", obj=review
    )
    return review


@transaction.atomic
def review_comment(*, actor: User, review: Review, text: str, from_region: bool) -> ReviewComment:
    """A message in the thread: the municipality's answer clears its to-do, the region's
    next comment puts it back."""
    text = _clean_text(text)
    lock(review)
    comment = ReviewComment.objects.create(
        organization_id=review.organization_id,
        review=review,
        author=actor,
        from_region=from_region,
        text=text,
    )
    review.awaiting_answer = from_region
    review.save(update_fields=["awaiting_answer", "updated_at"])
    _notify(review, text, to_municipality=from_region, author=actor)
    audit.record(
        actor=actor,
        organization=review.organization,
        action="indicators.review_comment",
        obj=review,
        from_region=from_region,
    )
    return comment
