"""Consents under 152-ФЗ: recording, withdrawal and what withdrawal sets in motion.

No valid consent, no processing: a person without one cannot be put into a pair or sent
a questionnaire (`can_process`), and shows only in the curator's "consent needed" queue.
Withdrawal suspends their pairs, stops their questionnaires and tells the curators at
once (receivers of `consent_withdrawn`: registry/apps.py and monitoring/apps.py), and
schedules depersonalisation after the retention term (settings.CONSENT_RETENTION_DAYS,
30 days by 152-ФЗ art. 21). The service never imports the tasks: tasks call services.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorship import audit
from mentorship.documents.services import document_request
from mentorship.files import check_evidence
from mentorship.models import Document, Organization, Role, User
from mentorship.stored_files import replace_file
from registry.models import (
    Category,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    ConsentState,
    MenteeNeed,
    MentorProfile,
    Participant,
)

# Sent inside the withdrawal's transaction with `participant` and `actor`: pairs are
# suspended and questionnaires stopped by the apps that own them.
consent_withdrawn = Signal()

# Sent inside the depersonalisation with `participant`: apps that keep free text written
# by or about the person (questionnaire answers) destroy it too.
participant_depersonalized = Signal()

# Best first: the participant's state is the best one among their consents.
STATE_ORDER = [
    ConsentState.VALID,
    ConsentState.EXPIRED,
    ConsentState.WITHDRAWN,
    ConsentState.INVALID,
    ConsentState.MISSING,
]


def retention_days() -> int:
    return int(getattr(settings, "CONSENT_RETENTION_DAYS", 30))


def can_process(participant: Participant, on: date | None = None) -> bool:
    """Whether the programme may use this person's data: pairs, questionnaires, lists."""
    if participant.depersonalized_at:
        return False
    if on is None:
        return participant.consent_state == ConsentState.VALID
    return any(c.state(on) == ConsentState.VALID for c in participant.consents.all())


def apply_consent_state(participant: Participant, consents: list[Consent], on: date) -> str:
    """Set the cached state, validity and mentor-base flag from `consents` (no query)."""
    states = [(c.state(on), c) for c in consents]
    best = min((s for s, _c in states), key=STATE_ORDER.index, default=ConsentState.MISSING)
    valid = [c for s, c in states if s == ConsentState.VALID]
    participant.consent_state = best
    participant.consent_valid_until = max(
        (c.valid_until for c in valid if c.valid_until), default=None
    )
    # The municipal mentor base: adult mentors who consented to it (never pupils).
    participant.in_mentor_base = (
        participant.is_mentor
        and participant.category != Category.PUPIL
        and not participant.is_minor(on)
        and any(ConsentPurpose.MENTOR_BASE in c.purposes for c in valid)
    )
    return best


STATE_FIELDS = ["consent_state", "consent_valid_until", "in_mentor_base"]


def refresh_consent_state(participant: Participant, on: date | None = None) -> str:
    """Recompute the cached state, validity and mentor-base flag from the consents."""
    best = apply_consent_state(
        participant, list(participant.consents.all()), on or timezone.localdate()
    )
    participant.save(update_fields=STATE_FIELDS)
    return best


# Who a legal representative is, by the word for them: a parent, or a guardian (опекун,
# попечитель…). Guardian words first: «приёмная мать» is a guardian, not a parent.
GUARDIAN_WORDS = ("опекун", "попечител", "приемн", "законный представитель", "представитель")
PARENT_WORDS = ("мать", "отец", "мама", "папа", "родител")


def giver_of(relation: str) -> str | None:
    """ConsentGiver.PARENT or GUARDIAN for «мать», «опекун»…; None for a word that names
    no legal representative («сосед», «бабушка» without guardianship)."""
    text = " ".join((relation or "").lower().replace("ё", "е").split())
    if any(word in text for word in GUARDIAN_WORDS):
        return ConsentGiver.GUARDIAN
    if any(word in text for word in PARENT_WORDS):
        return ConsentGiver.PARENT
    return None


def consent_problems(
    participant: Participant, data: dict[str, Any], *, strict: bool = False
) -> dict[str, list[str]]:
    """The consent rules, field → Russian messages; empty when the consent may be recorded.

    One set of rules for the single consent form, the API, the consent queue and the
    registry import. `strict` (the bulk paths: the import and the queue) also refuses a
    minor's own signature: the single form records such a consent, flagged invalid, for
    the paper trail, but a batch must not fill the registry with consents that do not
    count.
    """
    errors: dict[str, list[str]] = {}
    purposes = data.get("purposes") or []
    if ConsentPurpose.PROGRAMME not in purposes:
        errors["purposes"] = [_("Согласие должно включать участие в программе наставничества.")]
    unknown = set(purposes) - set(ConsentPurpose.values)
    if unknown:
        errors["purposes"] = [_("Неизвестная цель обработки.")]
    given_on = data["given_on"]
    if given_on > timezone.localdate():
        errors["given_on"] = [_("Дата согласия в будущем.")]
    if data.get("valid_until") and data["valid_until"] < given_on:
        errors["valid_until"] = [_("Срок действия заканчивается раньше даты согласия.")]
    by_self = data["given_by"] == ConsentGiver.SELF
    minor = participant.is_minor(given_on)
    if not by_self and not minor:
        errors["given_by"] = [
            _(
                "Участник совершеннолетний: согласие он даёт сам, согласие родителя или "
                "представителя за взрослого не принимается."
            )
        ]
    elif not by_self and not (data.get("giver_name") or "").strip():
        errors["giver_name"] = [_("Укажите ФИО родителя или законного представителя.")]
    elif by_self and minor and strict:
        errors["given_by"] = [
            _(
                "Участнику нет 18 лет: его собственная подпись не даёт согласия. Нужно "
                "согласие родителя или законного представителя (укажите его ФИО)."
            )
        ]
    if participant.depersonalized_at:
        errors["__all__"] = [_("Данные участника обезличены.")]
    return errors


def _check(participant: Participant, data: dict[str, Any]) -> None:
    errors = consent_problems(participant, data)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def consent_record(
    *,
    actor: User | None,
    participant: Participant,
    given_by: str,
    given_on: date,
    purposes: list[str],
    giver_name: str = "",
    giver_relation: str = "",
    giver_contact: str = "",
    on_paper: bool = True,
    valid_until: date | None = None,
    scan: UploadedFile | None = None,
) -> Consent:
    """Record a signed consent. One recorded as given by a minor personally is kept (it
    was signed) but is not valid, and the participant stays in the "consent needed" queue."""
    data = {
        "given_by": given_by,
        "given_on": given_on,
        "purposes": list(purposes),
        "giver_name": giver_name,
        "giver_relation": giver_relation,
        "giver_contact": giver_contact,
        "on_paper": on_paper,
        "valid_until": valid_until,
    }
    _check(participant, data)
    consent = Consent(
        organization=participant.organization, participant=participant, recorded_by=actor, **data
    )
    if scan is not None:
        extension = check_evidence(scan)
        scan.name = f"consent-{participant.pk}.{extension}"
        consent.scan = scan
    consent.save()
    state = refresh_consent_state(participant)
    audit.record(
        actor=actor,
        organization=participant.organization,
        action="consent.record",
        obj=participant,
        given_by=given_by,
        purposes=list(purposes),
        valid=consent.state() == ConsentState.VALID,
        state=state,
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *, actor: User | None, consent: Consent, reason: str, withdrawn_on: date | None = None
) -> Consent:
    if consent.withdrawn_on:
        raise ValidationError(_("Согласие уже отозвано."))
    withdrawn_on = withdrawn_on or timezone.localdate()
    consent.withdrawn_on, consent.withdrawal_reason = withdrawn_on, reason.strip()
    consent.save(update_fields=["withdrawn_on", "withdrawal_reason"])
    participant = consent.participant
    state = refresh_consent_state(participant)
    if state != ConsentState.VALID:
        participant.depersonalize_after = withdrawn_on + timedelta(days=retention_days())
        participant.save(update_fields=["depersonalize_after"])
        # Pairs are suspended, questionnaires stopped and the curators told by the
        # receivers (registry/apps.py, monitoring/apps.py), inside this transaction.
        consent_withdrawn.send(sender=Participant, participant=participant, actor=actor)
    audit.record(
        actor=actor,
        organization=participant.organization,
        action="consent.withdraw",
        obj=participant,
        reason=reason,
        depersonalize_after=str(participant.depersonalize_after or ""),
    )
    return consent


def curators_of(organization_id: int) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organization_id=organization_id,
            memberships__role=Role.CURATOR,
            is_active=True,
        ).distinct()
    )


@transaction.atomic
def participant_depersonalize(*, actor: User | None, participant: Participant) -> Participant:
    """Destroy the personal data, keep the row for counts (category, grade, flags).

    The audit entries stay: they record that processing happened and that the data were
    destroyed, which is the act of destruction 152-ФЗ asks for.
    """
    if participant.depersonalized_at:
        return participant
    label = _("Обезличен №%(n)s") % {"n": participant.pk}
    participant.last_name, participant.first_name, participant.patronymic = label, "", ""
    participant.birth_date = None
    participant.phone = participant.email = ""
    participant.study_place = participant.position = participant.subject = ""
    participant.depersonalized_at = timezone.now()
    participant.save()
    MenteeNeed.objects.filter(participant=participant).update(text="")
    MentorProfile.objects.filter(participant=participant).update(
        competencies="", subjects="", interests=""
    )
    for consent in participant.consents.all():
        # The signed scan names the person: deleted once this commits.
        replace_file(consent, "scan", "")
        consent.giver_name = consent.giver_contact = ""
        consent.save(update_fields=["giver_name", "giver_contact", "scan"])
    participant_depersonalized.send(sender=Participant, participant=participant)
    audit.record(
        actor=actor,
        organization=participant.organization,
        action="participant.depersonalize",
        obj=participant,
    )
    return participant


def unscoped_due_for_depersonalization(today: date) -> list[tuple[int, int]]:
    """(participant id, organisation id) of everyone whose retention term has run out."""
    from mentorship.tenancy.scoping import unscoped_reads

    with unscoped_reads():
        return list(
            Participant.objects.filter(
                depersonalize_after__lte=today, depersonalized_at__isnull=True
            )
            .exclude(consent_state=ConsentState.VALID)
            .values_list("pk", "organization_id")
        )


# The document kind of the ready-to-sign forms (registered by
# registry/documents/consent_form.py).
CONSENT_FORM_KIND = "consent_form"


def consent_form_title(count: int) -> str:
    """No names in the title: the list of documents is read more widely than the forms."""
    return ngettext(
        "Бланк согласия на обработку персональных данных (%(n)s чел.)",
        "Бланки согласий на обработку персональных данных (%(n)s чел.)",
        count,
    ) % {"n": count}


def consent_forms_request(
    *, actor: User | None, organization: Organization, participants: list[Participant]
) -> Document:
    """Ask the document pipeline for the consent forms of `participants`, one sheet each."""
    ids = [p.pk for p in participants]
    return document_request(
        actor=actor,
        organization=organization,
        kind=CONSENT_FORM_KIND,
        params={"participant_ids": ids},
        title=consent_form_title(len(ids)),
    )
