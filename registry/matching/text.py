"""Explainable word matching for Russian questionnaire texts.

Deliberately simple so a curator can follow it: lower-case, ё→е, drop stop-words and words
shorter than 4 letters, and compare stems = the first 5 letters («математика» and
«математике» share «матем»). Upper-case abbreviations such as ОГЭ, ЕГЭ, ВПР are kept even
though they are short: in needs they carry most of the meaning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

MIN_WORD_LENGTH = 4
STEM_LENGTH = 5

_WORD = re.compile(r"[A-Za-zА-Яа-яЁё0-9]+")

# Function words and the stock phrases of questionnaires («хочу», «нужна помощь», «могу
# помочь»): they occur on both sides of almost every pair and would match nothing useful.
_STOP_WORDS_TEXT = """
    будет будут быть было была были всего всех весь вся если есть еще ещё также
    чтобы когда тогда только очень более менее может можно нужно нужна нужен нужны
    надо хочу хотел хотела хотим хотят хотелось могу можем умею умеет знаю знает
    помощь помочь помогу помогите помогли помогать помощи поддержка поддержки
    через перед после между
    около этот этого этой этом эти этих свой своя свои своих свою своего который
    которая которые которых которого такой такие таких так какой какие сейчас всегда
    иногда много мало лучше хорошо плохо очень разных различных разные любой любые
    себя меня тебя него неё нее него ними мной нами вами опыт опыта работа работы
"""
STOP_WORDS = frozenset(w.replace("ё", "е") for w in _STOP_WORDS_TEXT.split())


def normalize(word: str) -> str:
    return word.lower().replace("ё", "е")


def _is_abbreviation(word: str) -> bool:
    return 2 <= len(word) <= 5 and word.isupper()


def _keeps(word: str) -> bool:
    if normalize(word) in STOP_WORDS:
        return False
    return _is_abbreviation(word) or len(word) >= MIN_WORD_LENGTH


@lru_cache(maxsize=16384)
def stem_words(text: str) -> Mapping[str, str]:
    """Stem → the first word that produced it (lower-case, abbreviations as written).

    Cached per text: the same questionnaire text is tokenised once however many pairs use it.
    """
    found: dict[str, str] = {}
    for word in _WORD.findall(text or ""):
        if not _keeps(word):
            continue
        norm = normalize(word)
        found.setdefault(norm[:STEM_LENGTH], word if _is_abbreviation(word) else norm)
    return MappingProxyType(found)


def stems(text: str) -> frozenset[str]:
    return frozenset(stem_words(text))
