"""The corpus of deadline phrases: each read as its stated meaning; properties of all."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmaps.deadlines import DeadlineKind, ParsedDeadline, parse_deadline
from roadmaps.deadlines.grammar import SHAPES

from .deadline_corpus import CORPUS

K = DeadlineKind


def meaning(parsed: ParsedDeadline) -> str:
    """A reading as one line, in the corpus's notation (see deadline_corpus.py)."""
    iso = lambda d: d.isoformat() if d else ""  # noqa: E731
    parts = [parsed.kind.value]
    if parsed.start or parsed.end:
        parts.append(f"{iso(parsed.start)}..{iso(parsed.end)}")
    if parsed.kind is K.PERIODS:
        parts.append("p=" + ";".join(f"{iso(a)}..{iso(b)}" for a, b in parsed.periods))
    if parsed.months:
        parts.append("m=" + ",".join(str(m) for m in parsed.months))
    if parsed.day is not None:
        parts.append(f"d={parsed.day}")
    if parsed.first_due:
        parts.append(f"first={iso(parsed.first_due)}")
    if parsed.stage is not None:
        parts.append(f"stage={parsed.stage}")
    if parsed.times is not None:
        parts.append(f"x{parsed.times}")
    return " ".join(parts)


def test_the_corpus_is_large_and_has_no_duplicates():
    texts = [text for text, _ in CORPUS]
    assert len(texts) >= 300
    assert len(set(texts)) == len(texts)
    readable = [m for _, m in CORPUS if m != "unreadable"]
    assert len(readable) >= 0.8 * len(CORPUS)


@pytest.mark.parametrize(("text", "expected"), CORPUS, ids=range(len(CORPUS)))
def test_corpus_phrase(text, expected):
    parsed = parse_deadline(text)
    assert meaning(parsed) == expected
    assert parsed.text == text
    if parsed.kind is K.RANGE:
        assert parsed.periods == ((parsed.start, parsed.end),)
    assert ParsedDeadline.from_dict(parsed.to_dict()) == parsed


# --- Properties --------------------------------------------------------------------------

YEAR_RE = re.compile(r"(?<![0-9])(?:18|19|20|21|22)[0-9]{2}(?![0-9])")
SHORT_SECOND_YEAR_RE = re.compile(r"([0-9]{4}) ?[/-] ?([0-9]{2})(?![0-9])")  # 2023/24
SHORT_DATE_YEAR_RE = re.compile(r"[0-9]\.[0-9]{1,2}\.([0-9]{2})(?![0-9])")  # 01.09.23


def _stated_years(text: str) -> list[int]:
    years = [int(y) for y in YEAR_RE.findall(text)]
    years += [int(a) // 100 * 100 + int(b) for a, b in SHORT_SECOND_YEAR_RE.findall(text)]
    return years + [2000 + int(y) for y in SHORT_DATE_YEAR_RE.findall(text)]


def _dates(parsed: ParsedDeadline) -> list[date]:
    spans = [d for span in parsed.periods for d in span]
    return [d for d in (parsed.start, parsed.end, parsed.first_due, *spans) if d]


def _inside_stated_years(text: str, parsed: ParsedDeadline) -> bool:
    years = _stated_years(text)
    if not years:
        return True
    first, last = date(min(years), 1, 1), date(max(years), 12, 31)
    return all(first <= d <= last for d in _dates(parsed))


@pytest.mark.parametrize(("text", "expected"), CORPUS, ids=range(len(CORPUS)))
def test_corpus_dates_lie_in_the_years_the_phrase_states(text, expected):
    assert _inside_stated_years(text, parse_deadline(text))


MONTH_FORMS = [
    ("январь", "января", "январе", "янв."),
    ("февраль", "февраля", "феврале", "февр."),
    ("март", "марта", "марте", "мар."),
    ("апрель", "апреля", "апреле", "апр."),
    ("май", "мая", "мае", "май"),
    ("июнь", "июня", "июне", "июн."),
    ("июль", "июля", "июле", "июл."),
    ("август", "августа", "августе", "авг."),
    ("сентябрь", "сентября", "сентябре", "сент."),
    ("октябрь", "октября", "октябре", "окт."),
    ("ноябрь", "ноября", "ноябре", "нояб."),
    ("декабрь", "декабря", "декабре", "дек."),
]
ROMAN = ["I", "II", "III", "IV", "V"]
# {m}/{m2}: a month (nominative or abbreviated); {mg}: genitive; {mp}: prepositional;
# {y}, {y2}: any two years; {n}: 1-5 as written or Roman; {d}, {dd}, {mm}: day and month.
TEMPLATES = [
    "{m} {y}",
    "{m} {y} г.",
    "в {mp} {y} года",
    "{d} {mg} {y}",
    "до {d} {mg} {y} г.",
    "не позднее {dd}.{mm}.{y}",
    "{dd}.{mm}.{y}",
    "{dd}.{mm}.{y} – {dd2}.{mm2}.{y2}",
    "с {d} {mg} {y} по {d2} {mg2} {y2}",
    "{m} – {m2} {y}",
    "{m} {y} – {m2} {y2}",
    "{m}, {m2} {y}",
    "{m} {y}, {m2} {y2}",
    "{y}",
    "{y}-{y2} гг.",
    "в течение {y} года",
    "{y}/{y1} учебный год",
    "{y}-{y2} учебный год",
    "{y}/{y1}",
    "{n} квартал {y}",
    "{n} кв. {y} г.",
    "{n}-{n2} квартал {y}",
    "{n} полугодие {y}",
    "{n} полугодие {y}/{y1} учебного года",
    "{n} четверть {y}/{y1} уч. года",
    "{n} четверть {y}",
    "{n} триместр {y}/{y1} учебного года",
    "с {mg} {y} г.",
    "ежегодно, {y}-{y2} гг.",
    "ежеквартально в {y} году",
    "ежемесячно в течение {y}/{y1} учебного года",
    "{m} {y}, далее ежегодно",
    "до {d} {mg} {y}, далее – ежемесячно",
    "в конце {y} года",
    "до конца {n} квартала {y}",
    "в начале {y}/{y1} учебного года",
    "до начала {y}/{y1} учебного года",
    "в конце {y}/{y1} учебного года",
    "осень {y}",
    "с {dd}.{mm}.{y} по {dd2}.{mm2}.{y2}",
]


@st.composite
def templated(draw) -> str:
    template = draw(st.sampled_from(TEMPLATES))
    month, month2 = draw(st.integers(0, 11)), draw(st.integers(0, 11))
    y, y2 = draw(st.integers(1890, 2210)), draw(st.integers(1890, 2210))
    day, day2 = draw(st.integers(0, 32)), draw(st.integers(0, 32))
    n, n2 = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    written = lambda k: draw(st.sampled_from([str(k), ROMAN[k - 1]]))  # noqa: E731
    return template.format(
        m=draw(st.sampled_from([MONTH_FORMS[month][0], MONTH_FORMS[month][3]])),
        m2=MONTH_FORMS[month2][0],
        mg=MONTH_FORMS[month][1],
        mg2=MONTH_FORMS[month2][1],
        mp=MONTH_FORMS[month][2],
        y=y,
        y1=y + 1,
        y2=y2,
        d=day,
        d2=day2,
        dd=f"{day:02d}",
        dd2=f"{day2:02d}",
        mm=f"{month + 1:02d}",
        mm2=f"{month2 + 1:02d}",
        n=written(n),
        n2=written(n2),
    )


@settings(max_examples=600, deadline=None)
@given(text=templated(), a=st.dates(), b=st.dates())
def test_readable_phrases_give_dates_in_their_stated_years(text, a, b):
    parsed = parse_deadline(text)
    assert parsed.text == text
    assert _inside_stated_years(text, parsed)
    for first, last in parsed.periods:
        assert first <= last
    if parsed.start and parsed.end:
        assert parsed.start <= parsed.end
    start, end = min(a, b), max(a, b)
    due = parsed.due_dates(start, end)
    assert due == sorted(set(due)) and all(start <= d <= end for d in due)


# Corpus phrases cut up and put together again: the grammar's own words in any order.
_FRAGMENTS = sorted({word for text, _ in CORPUS for word in re.split(r"(\s+|[,;()–-])", text)})


@settings(max_examples=600, deadline=None)
@given(
    words=st.lists(st.sampled_from(_FRAGMENTS), max_size=12),
    noise=st.text(max_size=6),
    a=st.dates(),
    b=st.dates(),
)
def test_parsing_never_raises(words, noise, a, b):
    text = "".join(words) + noise
    parsed = parse_deadline(text)
    assert parsed.text == text and isinstance(parsed.kind, DeadlineKind)
    start, end = min(a, b), max(a, b)
    due = parsed.due_dates(start, end)
    assert due == sorted(set(due)) and all(start <= d <= end for d in due)
    assert ParsedDeadline.from_dict(parsed.to_dict()) == parsed


def test_the_grammar_counts_its_shapes():
    # The note of issue 14 reports this number; a new shape is a deliberate change.
    assert len(SHAPES) == 18
