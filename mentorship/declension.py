"""Russian personal names in the case a sentence needs, for orders and letters.

«назначить Иванову Марию Петровну куратором», «наградить Петрова Ивана Сергеевича»,
«выдан Петрову Ивану Сергеевичу», «Уважаемый Иван Сергеевич!». The inflection is
pytrovich (the maintained Python port of the petrovich rules, pinned in pyproject.toml):
it declines each part of a hyphenated surname (Римская-Корсакова → Римскую-Корсакову)
and leaves alone what Russian leaves alone (Дурново, Черных, a woman's Шевчук).

The gender comes from the patronymic (-вич / -вна, «оглы» / «кызы»), else from the first
name and the surname, as pytrovich's detector reads them. An unknown gender declines
only what is the same for both («Черных»), never guesses a woman into a man's form.
"""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass

from pytrovich.detector import PetrovichGenderDetector
from pytrovich.enums import Case as _PCase
from pytrovich.enums import Gender as _PGender
from pytrovich.enums import NamePart
from pytrovich.maker import PetrovichDeclinationMaker


class Case(enum.StrEnum):
    NOMINATIVE = "nominative"  # кто? — Иванова Мария Петровна
    GENITIVE = "genitive"  # кого? — Ивановой Марии Петровны
    DATIVE = "dative"  # кому? — Ивановой Марии Петровне
    ACCUSATIVE = "accusative"  # кого? (назначить) — Иванову Марию Петровну
    INSTRUMENTAL = "instrumental"  # кем? — Ивановой Марией Петровной
    PREPOSITIONAL = "prepositional"  # о ком? — Ивановой Марии Петровне


class Gender(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


_CASES = {
    Case.NOMINATIVE: _PCase.NOMINATIVE,
    Case.GENITIVE: _PCase.GENITIVE,
    Case.DATIVE: _PCase.DATIVE,
    Case.ACCUSATIVE: _PCase.ACCUSATIVE,
    Case.INSTRUMENTAL: _PCase.INSTRUMENTAL,
    Case.PREPOSITIONAL: _PCase.PREPOSITIONAL,
}
_GENDERS = {
    Gender.MALE: _PGender.MALE,
    Gender.FEMALE: _PGender.FEMALE,
    Gender.UNKNOWN: _PGender.ANDROGYNOUS,
}
_FROM_PGENDER = {v: k for k, v in _GENDERS.items()}

# An initial: «И.», «И.С.» — never declined.
_INITIALS = re.compile(r"^(?:[А-ЯЁA-Z]\.\s?)+$")


@functools.cache
def _maker() -> PetrovichDeclinationMaker:
    # Parsing the rules takes ~100 ms: once per process.
    return PetrovichDeclinationMaker()


@functools.cache
def _detector() -> PetrovichGenderDetector:
    return PetrovichGenderDetector()


@dataclass(frozen=True)
class PersonName:
    """A name in its three parts, as the registry and the accounts store them."""

    last: str
    first: str = ""
    middle: str = ""

    @classmethod
    def parse(cls, text: str) -> PersonName:
        """«Иванова Мария Петровна», «Иванова М.П.», «Иванова М. П.», «Иванова»."""
        text = " ".join((text or "").split())
        if not text:
            return cls("")
        last, _sep, rest = text.partition(" ")
        if _INITIALS.match(rest.replace(" ", "")):
            return cls(last, rest.replace(" ", ""), "")
        parts = rest.split(" ", 1)
        return cls(last, parts[0] if parts else "", parts[1] if len(parts) > 1 else "")

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.last, self.first, self.middle) if p)

    @property
    def initials(self) -> str:
        """«Иванова М.П.» (a first «name» that is already initials is kept)."""
        if _INITIALS.match(self.first.replace(" ", "")):
            return f"{self.last} {self.first.replace(' ', '')}".strip()
        letters = "".join(f"{p[0]}." for p in (self.first, self.middle) if p)
        return f"{self.last} {letters}".strip()

    @property
    def gender(self) -> Gender:
        return detect_gender(self)


def detect_gender(name: PersonName) -> Gender:
    middle = name.middle.strip().lower()
    if middle.endswith(("вич", "ич", "оглы", "улы", "уулу")):
        return Gender.MALE
    if middle.endswith(("вна", "чна", "кызы", "гызы", "шна")):
        return Gender.FEMALE
    first = "" if _INITIALS.match(name.first.replace(" ", "")) else name.first
    if not (first or name.middle or name.last):
        return Gender.UNKNOWN
    try:
        detected = _detector().detect(
            firstname=first or None, middlename=name.middle or None, lastname=name.last or None
        )
    except ValueError:  # nothing the rules can read
        return Gender.UNKNOWN
    return _FROM_PGENDER.get(detected, Gender.UNKNOWN)


def _part(part: NamePart, gender: Gender, case: Case, text: str) -> str:
    if not text or case is Case.NOMINATIVE or _INITIALS.match(text.replace(" ", "")):
        return text
    return _maker().make(part, _GENDERS[gender], _CASES[case], text)


def decline(name: PersonName, case: Case | str, gender: Gender | None = None) -> PersonName:
    """The name with each part in `case`; `gender` overrides the detected one."""
    case = Case(case)
    gender = gender or name.gender
    return PersonName(
        last=_part(NamePart.LASTNAME, gender, case, name.last),
        first=_part(NamePart.FIRSTNAME, gender, case, name.first),
        middle=_part(NamePart.MIDDLENAME, gender, case, name.middle),
    )


def full_name(text: str | PersonName, case: Case | str) -> str:
    """«Иванова Мария Петровна» → «Иванову Марию Петровну» (accusative)."""
    name = text if isinstance(text, PersonName) else PersonName.parse(text)
    return decline(name, case).full


def short_name(text: str | PersonName, case: Case | str) -> str:
    """«Петров Иван Сергеевич» → «Петрову И.С.» (dative): the surname declined."""
    name = text if isinstance(text, PersonName) else PersonName.parse(text)
    return PersonName(decline(name, case).last, name.first, name.middle).initials


def salutation(text: str | PersonName) -> str:
    """«Уважаемый Иван Сергеевич!», «Уважаемая Мария Петровна!», «Уважаемый(-ая) …!»

    Without a first name and patronymic (only initials, or nothing), a full-name address
    would be rude or wrong: the caller gets the plain «Уважаемые коллеги!»."""
    name = text if isinstance(text, PersonName) else PersonName.parse(text)
    first = "" if _INITIALS.match(name.first.replace(" ", "")) else name.first
    if not first:
        return "Уважаемые коллеги!"
    address = " ".join(p for p in (first, name.middle) if p)
    word = {
        Gender.MALE: "Уважаемый",
        Gender.FEMALE: "Уважаемая",
        Gender.UNKNOWN: "Уважаемый(-ая)",
    }[name.gender]
    return f"{word} {address}!"


def pronoun_passed(name: PersonName) -> str:
    """«прошёл» / «прошла» for a certificate's sentence."""
    return {Gender.MALE: "прошёл", Gender.FEMALE: "прошла"}.get(name.gender, "прошёл(-ла)")
