"""The school's registry: programmes, participants (mentors and mentees), partner
organisations, consents to personal-data processing under 152-ФЗ, pairs and groups.

One module per entity family: programmes, partners, people, consent, pairs, schedule
(planned meetings, personal links and feeds, letters to participants), school (of
mentors), council (mentors' councils).
"""

from registry.models.competitions import (
    PRIZE_PLACES,
    Competition,
    CompetitionKind,
    CompetitionStatus,
    Criterion,
    JuryMember,
    Nomination,
    Nominee,
    Score,
)
from registry.models.consent import Consent, ConsentGiver, ConsentPurpose, ConsentState
from registry.models.council import (
    Council,
    CouncilDecision,
    CouncilMeeting,
    CouncilMember,
    CouncilPlanItem,
    CouncilRole,
)
from registry.models.group_meetings import MAX_CHOICES, GroupMeeting, GroupMeetingParticipant
from registry.models.pairs import (
    OPEN_STATUSES,
    DevelopmentPlan,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MemberRole,
    MentorPreference,
    Pair,
    PairMember,
    PairSequence,
    PairStatus,
    PlanTask,
    TaskStatus,
)
from registry.models.partners import PartnerKind, PartnerOrganization
from registry.models.people import (
    ASSESSMENT_PARAMETERS,
    DEFAULT_MENTOR_CAPACITY,
    Category,
    EntryAssessment,
    MenteeNeed,
    MentorProfile,
    NeedSource,
    Participant,
    mentor_capacity,
)
from registry.models.programmes import MENTOR_CAPACITY_MAX, MentoringForm, Programme
from registry.models.schedule import (
    LinkPurpose,
    ParticipantLetter,
    PersonalLink,
    PlannedMeeting,
    PlannedStatus,
)
from registry.models.school import (
    COURSE_HOURS_MAX,
    Attendance,
    Course,
    CourseSession,
    CourseStatus,
    Enrollment,
)

__all__ = [
    "COURSE_HOURS_MAX",
    "Attendance",
    "Council",
    "CouncilDecision",
    "CouncilMeeting",
    "CouncilMember",
    "CouncilPlanItem",
    "CouncilRole",
    "Course",
    "CourseSession",
    "CourseStatus",
    "Enrollment",
    "PRIZE_PLACES",
    "Competition",
    "CompetitionKind",
    "CompetitionStatus",
    "Criterion",
    "JuryMember",
    "Nomination",
    "Nominee",
    "Score",
    "MAX_CHOICES",
    "GroupMeeting",
    "GroupMeetingParticipant",
    "LinkPurpose",
    "ParticipantLetter",
    "PersonalLink",
    "PlannedMeeting",
    "PlannedStatus",
    "MENTOR_CAPACITY_MAX",
    "OPEN_STATUSES",
    "DevelopmentPlan",
    "Meeting",
    "MeetingFormat",
    "MeetingKind",
    "MemberRole",
    "MentorPreference",
    "Pair",
    "PairMember",
    "PairSequence",
    "PairStatus",
    "PlanTask",
    "TaskStatus",
    "ASSESSMENT_PARAMETERS",
    "DEFAULT_MENTOR_CAPACITY",
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
    "mentor_capacity",
]
