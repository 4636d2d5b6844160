"""Monitoring: questionnaires and their versions, campaigns, personal invitations,
responses and answers (one row per question per response)."""

from monitoring.models.campaigns import (
    Answer,
    Campaign,
    CampaignSchool,
    Channel,
    Invitation,
    InvitationReminder,
    InvitationRole,
    Purpose,
    Response,
    Stage,
)
from monitoring.models.questionnaires import (
    CHOICE_KINDS,
    NUMERIC_KINDS,
    SCALE_MAX,
    Audience,
    Kind,
    Question,
    QuestionKind,
    Questionnaire,
    Section,
)

__all__ = [
    "CHOICE_KINDS",
    "NUMERIC_KINDS",
    "SCALE_MAX",
    "Answer",
    "Audience",
    "Campaign",
    "CampaignSchool",
    "Channel",
    "Invitation",
    "InvitationReminder",
    "InvitationRole",
    "Kind",
    "Purpose",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "Response",
    "Section",
    "Stage",
]
