"""Campaigns, personal invitations, responses and answers.

A campaign belongs to a municipality (it covers all its schools) or to one school, and
has one CampaignSchool row per school it covers. Its
invitations, responses and answers belong to the school of the participant: pupils'
answers never leave the school's scope, and upper levels read them only through named
aggregate selectors.

Answers are stored one row per question per response, with the number in `value` for
scales, yes/no and single choice (the option's index), so that the dashboard's
aggregates are a GROUP BY over an indexed (question, campaign) pair, not JSON parsing.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.notifications.models import LeasedClaim, unsent_index
from mentorship.tenancy.scoping import TenantManager
from monitoring.models.questionnaires import Question, Questionnaire
from registry.models import Participant


def early_end(closed_at: datetime | None, ends_on: date) -> date | None:
    """The day a campaign was closed, when that came before its planned end (the pages
    say «завершена досрочно» with this date, not the planned one); None otherwise."""
    if closed_at is None:
        return None
    day = timezone.localtime(closed_at).date()
    return day if day <= ends_on else None


class Stage(models.TextChoices):
    ENTRY = "entry", _("Входной")
    INTERIM = "interim", _("Промежуточный")
    FINAL = "final", _("Итоговый")


class Purpose(models.TextChoices):
    """What a campaign is for. Monitoring campaigns are the ones the monitoring pages,
    indicators and the home figures count; the other two reuse the same personal links
    (consent first, no login, the phone form, reminders, revocation) for the candidates'
    intake questionnaires and for the choices after a group meeting."""

    MONITORING = "monitoring", _("Мониторинг")
    INTAKE = "intake", _("Анкеты кандидатов")
    PARTNER_CHOICE = "partner_choice", _("Выбор после групповой встречи")


class Campaign(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("Название"), max_length=300)
    stage = models.CharField(
        _("Этап мониторинга"), max_length=20, choices=Stage.choices, default=Stage.INTERIM
    )
    starts_on = models.DateField(_("Начало"))
    ends_on = models.DateField(_("Окончание"))
    mentor_questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("Анкета для наставников"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mentee_questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("Анкета для наставляемых"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(
        _("Назначение"), max_length=20, choices=Purpose.choices, default=Purpose.MONITORING
    )
    # The group meeting whose participants rank each other (purpose partner_choice).
    group_meeting = models.ForeignKey(
        "registry.GroupMeeting",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    remind_every_days = models.PositiveSmallIntegerField(
        _("Напоминать не ответившим раз в, дней"), default=3
    )
    closed_at = models.DateTimeField(_("Завершена досрочно"), null=True, blank=True)
    # When «campaign ended» went out (monitoring/services/ended.py): a morning scan that
    # catches up missed mornings must not announce it again.
    ended_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        "mentorship.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Кампания мониторинга")
        verbose_name_plural = _("Кампании мониторинга")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            # The same title from the same day in one organisation is one campaign clicked
            # twice, not two campaigns: a second would double every invitation.
            models.UniqueConstraint(
                Lower("title"),
                "organization",
                "starts_on",
                name="one_campaign_per_title_and_start",
                violation_error_message=_(
                    "Кампания с таким названием и датой начала уже есть: обновите страницу."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, on: date | None = None) -> bool:
        """Answers are accepted from the start to the end date inclusive, unless closed."""
        on = on or timezone.localdate()
        return self.closed_at is None and self.starts_on <= on <= self.ends_on

    @property
    def ended_early_on(self) -> date | None:
        return early_end(self.closed_at, self.ends_on)

    def has_ended(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.closed_at is not None or on > self.ends_on


class CampaignSchool(models.Model):
    """A campaign as one school sees it: the curator's page and the school's progress.

    The school's own row, in the school's scope, so that the school's pages never read
    the municipality's rows: the campaign is reached through this row's foreign key.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="schools")
    invited_at = models.DateTimeField(_("Приглашения созданы"), null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Кампания в школе")
        verbose_name_plural = _("Кампании в школах")
        ordering = ["-campaign__starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"], name="unique_campaign_school"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}@{self.organization_id}"


class InvitationRole(models.TextChoices):
    MENTOR = "mentor", _("Наставник")
    MENTEE = "mentee", _("Наставляемый")


class Channel(models.TextChoices):
    EMAIL = "email", _("Письмо")
    PRINT = "print", _("Лист с QR-кодом")


class Invitation(models.Model):
    """One participant's personal link to one questionnaire of one campaign.

    The token is kept as is (not hashed): the curator reprints the sheet and the
    reminders repeat the link, so the portal must be able to show it again. It grants
    only answering this one questionnaire, shows no name, and stops working at the
    campaign's end or when the consent is withdrawn.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="monitoring_invitations"
    )
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("Роль"), max_length=10, choices=InvitationRole.choices)
    token = models.CharField(max_length=64, unique=True)
    channel = models.CharField(_("Способ"), max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("Отправлено"), null=True, blank=True)
    responded_at = models.DateTimeField(_("Ответ получен"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("Ссылка отозвана"), null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Приглашение")
        verbose_name_plural = _("Приглашения")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "participant", "questionnaire"],
                name="unique_invitation",
            )
        ]
        indexes = [models.Index(fields=["campaign", "organization"])]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.participant_id}:{self.questionnaire_id}"


class Response(models.Model):
    """The one response of an invitation; re-submitting replaces its answers."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="response")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    # Denormalised for growth (final − entry per participant) without joining invitations.
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=InvitationRole.choices)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Intake answers: taken into the registry by the curator (monitoring.services.intake).
    # An answer changed after that (updated_at later) is back in the review list.
    accepted_at = models.DateTimeField(_("Принято в реестр"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        "mentorship.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("Ответ на анкету")
        verbose_name_plural = _("Ответы на анкеты")
        indexes = [models.Index(fields=["campaign", "organization"])]

    def __str__(self) -> str:
        return f"response {self.pk}"


class Answer(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", db_index=False
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # Scale point, 1/0 for yes/no, the option's index for single choice.
    value = models.SmallIntegerField(null=True, blank=True)
    # Option indexes of a multiple choice.
    choices = models.JSONField(null=True, blank=True)
    text = models.TextField(blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Ответ на вопрос")
        verbose_name_plural = _("Ответы на вопросы")
        indexes = [
            # Per question within a campaign, per school: the dashboard's GROUP BY.
            models.Index(
                fields=["question", "campaign", "organization"], name="answer_question_campaign"
            ),
            models.Index(fields=["campaign", "organization"], name="answer_campaign_org"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}={self.value if self.value is not None else self.text[:20]}"


class InvitationReminder(LeasedClaim):
    """A reminder e-mail to a non-respondent: claimed with a lease, sent, marked sent.

    The shared ledger (mentorship.notifications.ReminderDelivery) keys deliveries by a
    portal user; participants are not users, so their reminders have this table with the
    same lease protocol (mentorship/notifications/ledger.py) and a unique key per
    (invitation, day, kind).
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="reminders", db_index=False
    )
    due_on = models.DateField()
    kind = models.CharField(max_length=20, default="nonrespondent")

    objects = TenantManager()

    class Meta:
        verbose_name = _("Напоминание не ответившему")
        verbose_name_plural = _("Напоминания не ответившим")
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "due_on", "kind"], name="unique_invitation_reminder"
            )
        ]
        indexes = [unsent_index("invitation_reminder_unsent")]

    def __str__(self) -> str:
        return f"{self.invitation_id} {self.kind} {self.due_on}"
