"""Many consents at once: the consent queue's one click and the registry import.

The same rules as a single consent (`consent_problems`, strict: a minor's own signature
is refused rather than recorded as invalid), every scan checked as any upload
(`check_evidence`), all or nothing, one audit entry per person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.files import check_evidence
from mentorship.models import AuditEntry, User
from registry.models import Consent, ConsentState, Participant
from registry.services.consent import STATE_FIELDS, apply_consent_state, consent_problems


@dataclass
class ConsentEntry:
    """One signed consent of a batch (the consent queue, the registry import)."""

    participant: Participant
    given_by: str
    given_on: date
    purposes: list[str]
    giver_name: str = ""
    giver_relation: str = ""
    giver_contact: str = ""
    on_paper: bool = True
    valid_until: date | None = None
    scan: UploadedFile | None = None

    def data(self) -> dict[str, Any]:
        return {
            "given_by": self.given_by,
            "given_on": self.given_on,
            "purposes": list(self.purposes),
            "giver_name": self.giver_name.strip(),
            "giver_relation": self.giver_relation.strip(),
            "giver_contact": self.giver_contact.strip(),
            "on_paper": self.on_paper,
            "valid_until": self.valid_until,
        }


class ConsentBatchError(ValidationError):
    """The batch was refused, nothing written; `by_person` maps participant id → messages."""

    def __init__(self, by_person: dict[int, list[str]], names: dict[int, str]):
        self.by_person = by_person
        super().__init__(
            [f"{names[pk]}: {' '.join(messages)}" for pk, messages in by_person.items()]
        )


def consent_entry_problems(entry: ConsentEntry) -> list[str]:
    """The batch's rules for one entry, as flat Russian messages (for a row or a person)."""
    problems = consent_problems(entry.participant, entry.data(), strict=True)
    return [m for messages in problems.values() for m in messages]


@transaction.atomic
def consents_record(
    *, actor: User | None, entries: list[ConsentEntry], source: str = "queue"
) -> list[Consent]:
    """Record many signed consents at once: all of them or, on any problem, none.

    Each entry is checked by the same rules as a single consent (strict: a minor's own
    signature is refused, not recorded), every scan as an upload anywhere in the portal
    (`check_evidence`) before anything is written. The consents are inserted in bulk,
    the participants' cached states recomputed in one pass, and each person gets an
    audit entry of their own.
    """
    by_person: dict[int, list[str]] = {}
    names = {e.participant.pk: e.participant.full_name for e in entries}
    extensions: dict[int, str] = {}
    seen: set[int] = set()
    for index, entry in enumerate(entries):
        pk = entry.participant.pk
        problems = consent_entry_problems(entry)
        if pk in seen:
            problems.append(_("Этот человек отмечен дважды."))
        seen.add(pk)
        if entry.scan is not None:
            try:
                extensions[index] = check_evidence(entry.scan)
            except ValidationError as error:
                problems.append(
                    _("Скан «%(file)s»: %(problem)s")
                    % {"file": entry.scan.name, "problem": " ".join(error.messages)}
                )
        if problems:
            by_person.setdefault(pk, []).extend(problems)
    if by_person:
        raise ConsentBatchError(by_person, names)
    consents = []
    for index, entry in enumerate(entries):
        consent = Consent(
            organization=entry.participant.organization,
            participant=entry.participant,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            **entry.data(),
        )
        if entry.scan is not None:
            entry.scan.name = f"consent-{entry.participant.pk}.{extensions[index]}"
            consent.scan = entry.scan
        consents.append(consent)
    Consent.objects.bulk_create(consents, batch_size=1000)
    people = _refresh_states([e.participant for e in entries])
    _audit_batch(actor, consents, people, source)
    return consents


def _refresh_states(participants: list[Participant]) -> dict[int, str]:
    """refresh_consent_state for many people: one read of their consents, one update."""
    on = timezone.localdate()
    by_id = {p.pk: p for p in participants}
    consents: dict[int, list[Consent]] = {pk: [] for pk in by_id}
    for consent in Consent.objects.filter(participant_id__in=list(by_id)):
        consent.participant = by_id[consent.participant_id]
        consents[consent.participant_id].append(consent)
    states = {pk: apply_consent_state(by_id[pk], consents[pk], on) for pk in by_id}
    Participant.objects.bulk_update(list(by_id.values()), STATE_FIELDS, batch_size=1000)
    return states


def _audit_batch(
    actor: User | None, consents: list[Consent], states: dict[int, str], source: str
) -> None:
    if not consents:
        return
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    label = f"{actor.get_full_name()} <{actor.email}>".strip() if authenticated else "система"
    at = timezone.now()
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                at=at,
                actor=actor if authenticated else None,
                actor_label=label[:300],
                organization=c.participant.organization,
                action="consent.record",
                object_type=Participant._meta.label_lower,
                object_id=str(c.participant.pk),
                object_repr=str(c.participant)[:300],
                details={
                    "given_by": c.given_by,
                    "purposes": list(c.purposes),
                    "valid": c.state() == ConsentState.VALID,
                    "state": states[c.participant.pk],
                    "source": source,
                    "scan": bool(c.scan),
                },
            )
            for c in consents
        ],
        batch_size=1000,
    )


def _name_tokens(text: str) -> list[str]:
    """Words of a name or a file name: «Иванова_М.П._согласие.pdf» → иванова, м, п, согласие."""
    stem = text.rsplit(".", 1)[0] if "." in text else text
    return re.findall(r"[a-zа-я0-9]+", stem.lower().replace("ё", "е"))


def match_scans(
    files: list[UploadedFile], people: list[Participant]
) -> tuple[dict[int, UploadedFile], list[str]]:
    """Whose scan each file is, by its name: the surname, narrowed by the first name and
    the patronymic (whole or initial) when several people share it.

    Returns participant id → file and Russian problems (a file nobody matches, one that
    fits two people, two files of one person): any problem and the caller writes nothing.
    """
    matched: dict[int, UploadedFile] = {}
    problems: list[str] = []
    names = {p.pk: _name_tokens(p.full_name) for p in people}
    for upload in files:
        tokens = _name_tokens(upload.name or "")
        initials = {t for t in tokens if len(t) == 1}
        candidates = [p for p in people if names[p.pk] and names[p.pk][0] in tokens]
        for position in (1, 2):
            if len(candidates) < 2:
                break
            whole = [
                p
                for p in candidates
                if len(names[p.pk]) > position and names[p.pk][position] in tokens
            ]
            initial = [
                p
                for p in candidates
                if len(names[p.pk]) > position and names[p.pk][position][0] in initials
            ]
            candidates = whole or initial or candidates
        if len(candidates) != 1:
            problems.append(
                (
                    _(
                        "Скан «%(file)s»: по имени файла не понять, чей он — среди отмеченных "
                        "нет человека с такой фамилией. Назовите файл по фамилии и имени или "
                        "выберите его в строке человека."
                    )
                    if not candidates
                    else _(
                        "Скан «%(file)s»: подходит нескольким отмеченным (%(who)s). Добавьте "
                        "в имя файла имя и отчество или выберите его в строке человека."
                    )
                )
                % {"file": upload.name, "who": ", ".join(p.short_name for p in candidates)}
            )
            continue
        person = candidates[0]
        if person.pk in matched:
            problems.append(
                _("Два скана одного человека (%(who)s): «%(a)s» и «%(b)s». Оставьте один.")
                % {"who": person.short_name, "a": matched[person.pk].name, "b": upload.name}
            )
            continue
        matched[person.pk] = upload
    return matched, problems
