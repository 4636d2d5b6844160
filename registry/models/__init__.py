"""The school's registry: programmes, participants (mentors and mentees), partner
organisations and consents to personal-data processing under 152-ФЗ."""

from registry.models.consent import Consent, ConsentGiver, ConsentPurpose, ConsentState
from registry.models.people import (
    ASSESSMENT_PARAMETERS,
    Category,
    EntryAssessment,
    MenteeNeed,
    MentorProfile,
    NeedSource,
    Participant,
    PartnerKind,
    PartnerOrganization,
)
from registry.models.programmes import MentoringForm, Programme

__all__ = [
    "ASSESSMENT_PARAMETERS",
    "Category",
    "Consent",
    "ConsentGiver",
    "ConsentPurpose",
    "ConsentState",
    "EntryAssessment",
    "MenteeNeed",
    "MentorProfile",
    "MentoringForm",
    "NeedSource",
    "Participant",
    "PartnerKind",
    "PartnerOrganization",
    "Programme",
]
