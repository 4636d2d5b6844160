"""Parse the free-text "сроки" (deadline) column of mentorship roadmaps.

Methodists write deadlines as prose: "Март – апрель 2022", "до 21 октября 2021, далее –
ежегодно", "В течеие года". The portal keeps that text verbatim and derives from it a
structured meaning, from which reminders (due dates) are computed.

Pure standard library on purpose (except `describe`, which tells a reading back in
Russian and is imported on its own): it is used by models, importers and Celery tasks
alike and must be testable without Django.

parsed:   DeadlineKind and ParsedDeadline, the meaning and the due dates it gives;
parser:   parse_deadline, the normalisation, vocabulary and shapes of the phrases;
describe: a reading told back in Russian, so a person can check it.
"""

from .parsed import DeadlineKind, ParsedDeadline
from .parser import parse_deadline

__all__ = ["DeadlineKind", "ParsedDeadline", "parse_deadline"]
