"""From a deadline as typed to a list of tokens the grammar reads.

Normalising folds what carries no meaning: case, «ё», every dash Word's autocorrect
types, odd spaces, Latin letters inside Cyrillic words («Mай» with a Latin M), year
suffixes («2022г.», «2023-2024 гг.», «2021 года»), quotes. Tokenising then reads numbers
(dates dd.mm.yyyy and dd.mm.yy, days and months dd.mm, years, school years 2023/2024,
ordinals 1-й), punctuation and words; a word is looked up in the lexicon, and a word
it does not know becomes an UNKNOWN token, which no rule of the grammar accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .lexicon import NOUN_STEMS, NOUN_WORDS, PHRASES, WORDS, WORDS_EXPANDED, fuzzy_word

__all__ = ["Token", "normalise", "tokenise"]

MAX_TOKENS = 60  # a deadline is a phrase; a paragraph is not read as one


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # MONTH, YEAR, SYEAR, DATE, DM, NUM, ORD, DASH, COMMA, LP, RP, a keyword...
    value: Any = None


# Every dash-like character people (and Word's autocorrect) type between months.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys(_INVISIBLE, ""),
        **dict.fromkeys("«»„“”\"'`", " "),
        "ё": "е",
        "і": "i",  # a Ukrainian/Belarusian «і» typed for a Roman I
        "№": " № ",
    }
)
# Latin letters that look like Cyrillic ones, once lower-cased: fixed only inside a word
# that also has Cyrillic letters, so Roman numerals (i, v, x) stay Latin.
_LOOKALIKES = str.maketrans("aceopxykmtbh", "асеорхукмтвн")
_MIXED = re.compile(r"[a-zа-я]*(?:[a-z][а-я]|[а-я][a-z])[a-zа-я]*")
# "2022г.", "2023-2024г.г.", "2020-2024 гг.", "2021 года", "01.09.2023 г." -> the number.
_YEAR_SUFFIX = re.compile(
    r"(?:(?<=[0-9]{4})|(?<=\.[0-9]{2}))\s*(?:г\s*\.\s*г|гг|годы|годов|года|году|год|г)(?![а-яa-z])\.?"
)


def normalise(text: str) -> str:
    s = text.lower().translate(_TRANSLATE)
    s = _MIXED.sub(lambda m: m[0].translate(_LOOKALIKES), s)
    s = re.sub(r"\s+", " ", s)  # also joins cells split over lines ("Май –\nиюнь\n2022")
    s = _YEAR_SUFFIX.sub("", s)
    s = re.sub(r"(?<=[0-9]{4})\.(?= )", ",", s)  # "сентябрь 2023. Далее – ежегодно"
    for pattern, replacement in PHRASES:
        s = pattern.sub(replacement, s)
    s = re.sub(r"\s+", " ", s)
    return s.strip(" .,;:")


_TOKEN = re.compile(
    r"(?P<date>([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4}|[0-9]{2})(?![0-9]))"
    r"|(?P<syear>([0-9]{4}) ?[/\\] ?([0-9]{4}|[0-9]{2})(?![0-9]))"
    r"|(?P<year>[0-9]{4}(?![0-9]))"
    r"|(?P<dm>([0-9]{1,2})\.([0-9]{1,2})(?![0-9.]))"
    r"|(?P<ord>([0-9]{1,2}) ?- ?(?:ый|ий|ой|й|го|ого|его|ое|ее|е|ом|ем|м|я|ая|ую)(?![а-я]))"
    r"|(?P<num>[0-9]{1,2}(?![0-9]))"
    r"|(?P<word>[а-яa-z]+)\.?"
    r"|(?P<dash>-+)"
    r"|(?P<comma>[,;])"
    r"|(?P<lp>[(\[])"
    r"|(?P<rp>[)\]])"
    r"|(?P<no>№)"
    r"|(?P<dot>\.)"  # after a number: "1. май 2022" is a list, not the 1st of May
    r"|(?P<skip>[\s:])"
)


def _word(word: str) -> tuple[Token, ...]:
    if word in WORDS_EXPANDED:
        return tuple(Token(kind, value) for kind, value in WORDS_EXPANDED[word])
    lexeme = WORDS.get(word)
    if lexeme is None and (word in NOUN_WORDS or word.startswith(NOUN_STEMS)):
        lexeme = ("NOUN", word)
    if lexeme is None:
        lexeme = fuzzy_word(word)
    if lexeme is None:
        return (Token("UNKNOWN", word),)
    return (Token(*lexeme),)


def tokenise(normalised: str) -> list[Token] | None:
    """The tokens of a normalised phrase; None if it holds a character no token takes."""
    tokens: list[Token] = []
    position = 0
    while position < len(normalised):
        m = _TOKEN.match(normalised, position)
        if m is None:
            return None
        position = m.end()
        kind = m.lastgroup
        if kind == "date":
            day, month, year = int(m[2]), int(m[3]), m[4]
            tokens.append(Token("DATE", (day, month, int(year) + (2000 if len(year) == 2 else 0))))
        elif kind == "syear":
            first, second = int(m[6]), m[7]
            last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
            tokens.append(Token("SYEAR", (first, last)))
        elif kind == "year":
            tokens.append(Token("YEAR", int(m["year"])))
        elif kind == "dm":
            tokens.append(Token("DM", (int(m[10]), int(m[11]))))
        elif kind == "ord":
            tokens.append(Token("ORD", int(m[13])))
        elif kind == "num":
            tokens.append(Token("NUM", int(m["num"])))
        elif kind == "word":
            tokens.extend(_word(m["word"]))
        elif kind != "skip":
            tokens.append(Token(kind.upper()))
        if len(tokens) > MAX_TOKENS:
            return None
    return tokens
