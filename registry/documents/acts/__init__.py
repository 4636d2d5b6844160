"""Local acts from templates (issue 16): orders, the regulation, letters, certificates,
the protocols of the mentors' council.

Each kind builds one structured text (mentorship/documents/content.py) filled with the
organisation's data; the pipeline prints it as PDF and writes it as an editable .docx.
They name staff and adult mentors, never pupils (`personal_data=False`): issued by the
school's curator or the municipality's methodist and department (`access.LOCAL_ACTS`),
opened by them and by the education department.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from mentorship.documents.kinds import register
from mentorship.models import EDUCATIONAL_KINDS, OrganizationKind
from mentorship.tenancy.rules import MUNICIPALITY, SCHOOL
from registry import access

from .competitions import build_competition_diploma
from .letters import build_mentor_certificate, build_thank_you_letter
from .orders import (
    build_council_order,
    build_curator_order,
    build_mentor_school_order,
    build_model_order,
    build_reward_order,
)
from .protocol import build_council_protocol
from .regulation import build_regulation

SCHOOLS = tuple(EDUCATIONAL_KINDS)
BOTH = (*SCHOOLS, OrganizationKind.MUNICIPALITY)
SCHOOL_ONLY = {SCHOOL: access.LOCAL_ACTS[SCHOOL]}
BOTH_LEVELS = {SCHOOL: access.LOCAL_ACTS[SCHOOL], MUNICIPALITY: access.LOCAL_ACTS[MUNICIPALITY]}

_ = gettext_lazy
KINDS = (
    ("model_order", _("Приказ о внедрении целевой модели наставничества"), build_model_order),
    ("curator_order", _("Приказ о назначении куратора"), build_curator_order),
    ("regulation", _("Положение о наставничестве"), build_regulation),
    ("mentor_school_order", _("Приказ о «Школе наставников»"), build_mentor_school_order),
    ("council_order", _("Приказ о создании Совета наставников"), build_council_order),
    ("reward_order", _("Приказ о поощрении наставников"), build_reward_order),
    ("thank_you_letter", _("Благодарственное письмо партнёру"), build_thank_you_letter),
    ("mentor_certificate", _("Сертификат наставника"), build_mentor_certificate),
    ("council_protocol", _("Протокол заседания Совета наставников"), build_council_protocol),
    ("competition_diploma", _("Диплом победителя конкурса"), build_competition_diploma),
)  # fmt: skip
# A school's own acts; the rest are issued by a municipality too (its department's order
# on the model, its school of mentors and council, its rewards, letters, certificates).
SCHOOL_ONLY_KINDS = frozenset({"curator_order", "regulation"})
# A competition is its municipality's: so are its diplomas.
MUNICIPAL_ONLY_KINDS = frozenset({"competition_diploma"})
MUNICIPAL_ONLY = {MUNICIPALITY: access.LOCAL_ACTS[MUNICIPALITY]}

for code, label, build in KINDS:
    school_only = code in SCHOOL_ONLY_KINDS
    municipal_only = code in MUNICIPAL_ONLY_KINDS
    register(
        code,
        label=label,
        build_content=build,
        issuers=SCHOOL_ONLY if school_only else MUNICIPAL_ONLY if municipal_only else BOTH_LEVELS,
        org_kinds=(
            SCHOOLS if school_only else (OrganizationKind.MUNICIPALITY,) if municipal_only else BOTH
        ),
        # A certificate and a diploma are printed across the page, as such are.
        landscape=code in ("mentor_certificate", "competition_diploma"),
        numbered=True,
    )
