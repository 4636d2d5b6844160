"""Parse the free-text "сроки" (deadline) column of mentorship roadmaps.

Methodists write deadlines as prose: "Март – апрель 2022", "до 21 октября 2021, далее –
ежегодно", "В течеие года", "I кв. 2024 г.", "ежемесячно до 5 числа". The portal keeps
that text verbatim and derives from it a structured meaning, from which reminders (due
dates) are computed.

Pure standard library on purpose (except `describe`, which tells a reading back in
Russian and is imported on its own): it is used by models, importers and Celery tasks
alike and must be testable without Django.

lexicon:     every form of every word, mapped to a lexeme («мая», «май.» → MONTH 5);
tokens:      normalising and tokenising a phrase (dates, years, school years, words);
combinators: the few parser combinators the grammar is written with;
items:       the calendar things a phrase names, and the days they cover;
grammar:     the parts and the whole-phrase SHAPES they compose into;
shapes:      what each shape means, built only for the reading that takes the whole phrase;
parsed:      DeadlineKind and ParsedDeadline, the meaning and the due dates it gives;
parser:      parse_deadline (and per-item lists of deadlines);
describe:    a reading told back in Russian, so a person can check it.
"""

from .parsed import DeadlineKind, ParsedDeadline
from .parser import item_deadlines, parse_deadline

__all__ = ["DeadlineKind", "ParsedDeadline", "item_deadlines", "parse_deadline"]
