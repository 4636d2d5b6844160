"""Unit tests for the roadmap deadline parser (pure Python, no database)."""

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmaps.deadlines import DeadlineKind, ParsedDeadline, parse_deadline

K = DeadlineKind
D = date

# Reporting periods used below: two school years and a few calendar spans.
SY21 = (D(2021, 9, 1), D(2022, 8, 31))
SY22 = (D(2022, 9, 1), D(2023, 8, 31))
SY23 = (D(2023, 9, 1), D(2024, 8, 31))
Y2022 = (D(2022, 1, 1), D(2022, 12, 31))
Y21_23 = (D(2021, 1, 1), D(2023, 12, 31))
Y23_24 = (D(2023, 1, 1), D(2024, 12, 31))


def _range(start: date, end: date) -> dict[str, Any]:
    return {"start": start, "end": end, "periods": ((start, end),)}


def _month(year: int, month: int, last: int) -> dict[str, Any]:
    return {"start": D(year, month, 1), "end": D(year, month, last)}


def _years(first: int, last: int) -> dict[str, Any]:
    return {"start": D(first, 1, 1), "end": D(last, 12, 31)}


def _then_yearly(first: date) -> dict[str, Any]:
    return {"start": first, "months": (first.month,), "day": first.day, "first_due": first}


# (text exactly as in DOMAIN.md, kind, every non-default field, period, due dates)
DOMAIN_PHRASES = [
    ("2023-2024", K.YEARS, _years(2023, 2024), Y23_24, [D(2023, 12, 31), D(2024, 12, 31)]),
    ("2023", K.YEARS, _years(2023, 2023), Y23_24, [D(2023, 12, 31)]),
    ("Март 2022", K.MONTH, _month(2022, 3, 31), SY21, [D(2022, 3, 31)]),
    (
        "Март – апрель 2022",
        K.RANGE,
        _range(D(2022, 3, 1), D(2022, 4, 30)),
        SY21,
        [D(2022, 4, 30)],
    ),
    (
        "Сентябрь-октябрь 2022",
        K.RANGE,
        _range(D(2022, 9, 1), D(2022, 10, 31)),
        SY22,
        [D(2022, 10, 31)],
    ),
    (
        "16 сентября 2021",
        K.DATE,
        {"start": D(2021, 9, 16), "end": D(2021, 9, 16)},
        SY21,
        [D(2021, 9, 16)],
    ),
    ("до 15 октября 2021", K.DATE, {"end": D(2021, 10, 15)}, SY21, [D(2021, 10, 15)]),
    (
        "до 21 октября 2021, далее – ежегодно",
        K.YEARLY,
        _then_yearly(D(2021, 10, 21)),
        Y21_23,
        [D(2021, 10, 21), D(2022, 10, 21), D(2023, 10, 21)],
    ),
    (
        "ноябрь-декабрь 2021, январь-май 2022",
        K.PERIODS,
        {
            "start": D(2021, 11, 1),
            "end": D(2022, 5, 31),
            "periods": ((D(2021, 11, 1), D(2021, 12, 31)), (D(2022, 1, 1), D(2022, 5, 31))),
        },
        SY21,
        [D(2021, 12, 31), D(2022, 5, 31)],
    ),
    (
        "декабрь 2021, февраль 2022",
        K.PERIODS,
        {
            "start": D(2021, 12, 1),
            "end": D(2022, 2, 28),
            "periods": ((D(2021, 12, 1), D(2021, 12, 31)), (D(2022, 2, 1), D(2022, 2, 28))),
        },
        SY21,
        [D(2021, 12, 31), D(2022, 2, 28)],
    ),
    (
        "в течение первого полугодия 2022",
        K.RANGE,
        _range(D(2022, 1, 1), D(2022, 6, 30)),
        SY21,
        [D(2022, 6, 30)],
    ),
    (
        "1 раз в квартал",
        K.QUARTERLY,
        {},
        SY21,
        [D(2021, 9, 30), D(2021, 12, 31), D(2022, 3, 31), D(2022, 6, 30)],
    ),
    (
        "ежегодно (май, ноябрь)",
        K.YEARLY,
        {"months": (5, 11)},
        SY21,
        [D(2021, 11, 30), D(2022, 5, 31)],
    ),
    (
        "2023-2024 ежегодное обновление",
        K.YEARLY,
        _years(2023, 2024),
        (D(2022, 1, 1), D(2025, 12, 31)),
        [D(2023, 12, 31), D(2024, 12, 31)],
    ),
    ("постоянно", K.CONTINUOUS, {}, SY21, [D(2022, 8, 31)]),
    ("по запросу", K.ON_REQUEST, {}, SY21, []),
    ("По плану", K.BY_PLAN, {}, SY21, []),
    ("По графику", K.BY_PLAN, {}, SY21, []),
    ("В течение года", K.CONTINUOUS, {}, SY21, [D(2022, 8, 31)]),
    ("В течеие года", K.CONTINUOUS, {}, Y2022, [D(2022, 12, 31)]),
    ("май 2022г.", K.MONTH, _month(2022, 5, 31), SY21, [D(2022, 5, 31)]),
    (
        "Май- октябрь 2022",
        K.RANGE,
        _range(D(2022, 5, 1), D(2022, 10, 31)),
        Y2022,
        [D(2022, 10, 31)],
    ),
    (
        "В течении года, после этапа 5 (до завершения отчетного периода)",
        K.AFTER_STAGE,
        {"stage": 5},
        SY21,
        [D(2022, 8, 31)],
    ),
    ("В конце отчетного периода", K.END_OF_PERIOD, {}, SY21, [D(2022, 8, 31)]),
]

# Further phrases from the seeds' tables (and slide text), exactly as written there,
# including cells that span several lines.
SEED_PHRASES = [
    ("2024", K.YEARS, _years(2024, 2024), Y23_24, [D(2024, 12, 31)]),
    ("сентябрь 2021", K.MONTH, _month(2021, 9, 30), SY21, [D(2021, 9, 30)]),
    (
        "сентябрь- октябрь 2021",
        K.RANGE,
        _range(D(2021, 9, 1), D(2021, 10, 31)),
        SY21,
        [D(2021, 10, 31)],
    ),
    (
        "октябрь-ноябрь 2021",
        K.RANGE,
        _range(D(2021, 10, 1), D(2021, 11, 30)),
        SY21,
        [D(2021, 11, 30)],
    ),
    (
        "сентябрь-ноябрь 2021",
        K.RANGE,
        _range(D(2021, 9, 1), D(2021, 11, 30)),
        SY21,
        [D(2021, 11, 30)],
    ),
    (
        "до 12 ноября 2021, далее – ежегодно",
        K.YEARLY,
        _then_yearly(D(2021, 11, 12)),
        SY22,
        [D(2022, 11, 12)],
    ),
    (
        "до 10 ноября 2021, далее – ежегодно",
        K.YEARLY,
        _then_yearly(D(2021, 11, 10)),
        (D(2020, 1, 1), D(2022, 6, 30)),
        [D(2021, 11, 10)],
    ),
    ("ноябрь 2021", K.MONTH, _month(2021, 11, 30), SY21, [D(2021, 11, 30)]),
    ("февраль 2022", K.MONTH, _month(2022, 2, 28), SY21, [D(2022, 2, 28)]),
    ("март 2022", K.MONTH, _month(2022, 3, 31), SY21, [D(2022, 3, 31)]),
    ("май 2022", K.MONTH, _month(2022, 5, 31), SY21, [D(2022, 5, 31)]),
    ("июнь 2022", K.MONTH, _month(2022, 6, 30), SY21, [D(2022, 6, 30)]),
    ("Апрель – май 2022", K.RANGE, _range(D(2022, 4, 1), D(2022, 5, 31)), SY21, [D(2022, 5, 31)]),
    ("Сентябрь 2022", K.MONTH, _month(2022, 9, 30), SY22, [D(2022, 9, 30)]),
    ("Май 2022", K.MONTH, _month(2022, 5, 31), Y2022, [D(2022, 5, 31)]),
    ("Май\n2022", K.MONTH, _month(2022, 5, 31), Y2022, [D(2022, 5, 31)]),
    ("Май – июнь\n2022", K.RANGE, _range(D(2022, 5, 1), D(2022, 6, 30)), Y2022, [D(2022, 6, 30)]),
    ("Май –\nиюнь\n2022", K.RANGE, _range(D(2022, 5, 1), D(2022, 6, 30)), Y2022, [D(2022, 6, 30)]),
    ("Май-июнь\n2022", K.RANGE, _range(D(2022, 5, 1), D(2022, 6, 30)), Y2022, [D(2022, 6, 30)]),
    (
        "Май-сентябрь 2022",
        K.RANGE,
        _range(D(2022, 5, 1), D(2022, 9, 30)),
        Y2022,
        [D(2022, 9, 30)],
    ),
    ("Октябрь 2022", K.MONTH, _month(2022, 10, 31), Y2022, [D(2022, 10, 31)]),
    # school No. 40, "Период осуществления": ongoing since a month.
    ("С сентября 2021 года.", K.CONTINUOUS, {"start": D(2021, 9, 1)}, SY21, [D(2022, 8, 31)]),
    ("С октября 2021 года.", K.CONTINUOUS, {"start": D(2021, 10, 1)}, SY21, [D(2022, 8, 31)]),
    ("С марта 2021 года.", K.CONTINUOUS, {"start": D(2021, 3, 1)}, SY21, [D(2022, 8, 31)]),
    # St Petersburg slide text and headings.
    (
        "сентябрь-октябрь 2021 г.",
        K.RANGE,
        _range(D(2021, 9, 1), D(2021, 10, 31)),
        SY21,
        [D(2021, 10, 31)],
    ),
    ("октябрь 2021 г.", K.MONTH, _month(2021, 10, 31), SY21, [D(2021, 10, 31)]),
    ("ноябрь 2021 г.", K.MONTH, _month(2021, 11, 30), SY21, [D(2021, 11, 30)]),
    ("СЕНТЯБРЬ 2021", K.MONTH, _month(2021, 9, 30), SY21, [D(2021, 9, 30)]),
    ("с сентября 2021 г.", K.CONTINUOUS, {"start": D(2021, 9, 1)}, SY21, [D(2022, 8, 31)]),
    (
        "ежегодно, сентябрь-октябрь",
        K.YEARLY,
        {"months": (10,)},
        Y21_23,
        [D(2021, 10, 31), D(2022, 10, 31), D(2023, 10, 31)],
    ),
    ("2020-2024 гг.", K.YEARS, _years(2020, 2024), SY21, [D(2021, 12, 31)]),
    ("2023-2024г.г.", K.YEARS, _years(2023, 2024), SY23, [D(2023, 12, 31)]),
]

ALL_PHRASES = DOMAIN_PHRASES + SEED_PHRASES


def _check(text: str, kind: DeadlineKind, fields: dict, period: tuple, due: list) -> None:
    parsed = parse_deadline(text)
    assert parsed.kind is kind
    # Equality with a fully specified value pins down every field, not just the kind.
    assert parsed == ParsedDeadline(text=text, kind=kind, **fields)
    assert parsed.is_readable
    assert parsed.due_dates(*period) == due


@pytest.mark.parametrize(("text", "kind", "fields", "period", "due"), DOMAIN_PHRASES)
def test_domain_phrase(text, kind, fields, period, due):
    _check(text, kind, fields, period, due)


@pytest.mark.parametrize(("text", "kind", "fields", "period", "due"), SEED_PHRASES)
def test_seed_phrase(text, kind, fields, period, due):
    _check(text, kind, fields, period, due)


def test_every_domain_phrase_is_covered():
    listed = [
        "2023-2024",
        "2023",
        "Март 2022",
        "Март – апрель 2022",
        "Сентябрь-октябрь 2022",
        "16 сентября 2021",
        "до 15 октября 2021",
        "до 21 октября 2021, далее – ежегодно",
        "ноябрь-декабрь 2021, январь-май 2022",
        "декабрь 2021, февраль 2022",
        "в течение первого полугодия 2022",
        "1 раз в квартал",
        "ежегодно (май, ноябрь)",
        "2023-2024 ежегодное обновление",
        "постоянно",
        "по запросу",
        "По плану",
        "По графику",
        "В течение года",
        "В течеие года",
        "май 2022г.",
        "Май- октябрь 2022",
        "В течении года, после этапа 5 (до завершения отчетного периода)",
        "В конце отчетного периода",
    ]
    assert [row[0] for row in DOMAIN_PHRASES] == listed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # any dash, with or without spaces
        ("Март-апрель 2022", (K.RANGE, D(2022, 4, 30))),
        ("Март — апрель 2022", (K.RANGE, D(2022, 4, 30))),
        ("Март ‑апрель 2022", (K.RANGE, D(2022, 4, 30))),
        ("Март −  апрель 2022", (K.RANGE, D(2022, 4, 30))),
        ("ноябрь 2021 – февраль 2022", (K.RANGE, D(2022, 2, 28))),
        # year suffixes, case, spacing, trailing dots
        ("МАЙ  2022 ГОДА.", (K.MONTH, D(2022, 5, 31))),
        ("май 2022 г", (K.MONTH, D(2022, 5, 31))),
        ("  май\t2022 ..", (K.MONTH, D(2022, 5, 31))),
        ("в мае 2022", (K.MONTH, D(2022, 5, 31))),
        ("сент. 2021", (K.MONTH, D(2021, 9, 30))),
        ("2023-2024 гг.", (K.YEARS, D(2024, 12, 31))),
        ("в течение 2023 года", (K.YEARS, D(2023, 12, 31))),
        # nominative and genitive months, "до" and its synonyms
        ("16 сентябрь 2021", (K.DATE, D(2021, 9, 16))),
        ("до 31 мая 2022 г.", (K.DATE, D(2022, 5, 31))),
        ("не позднее 30 ноября 2022", (K.DATE, D(2022, 11, 30))),
        ("до 15.10.2021", (K.DATE, D(2021, 10, 15))),
        ("29 февраля 2024", (K.DATE, D(2024, 2, 29))),
        # typos of "в течение"
        ("в течении года", (K.CONTINUOUS, None)),
        ("в теч. года", (K.CONTINUOUS, None)),
        ("В течение учебного года", (K.CONTINUOUS, None)),
        ("после этапа 3", (K.AFTER_STAGE, None)),
        ("II квартал 2023", (K.RANGE, D(2023, 6, 30))),
        ("во втором полугодии 2022", (K.RANGE, D(2022, 12, 31))),
        ("второе полугодие 2022", (K.RANGE, D(2022, 12, 31))),
        ("2023/2024 учебный год", (K.RANGE, D(2024, 8, 31))),
        ("май, июнь 2022", (K.PERIODS, D(2022, 6, 30))),
        ("ежеквартально", (K.QUARTERLY, None)),
        # monthly now has a kind of its own (issue 14): these used to be unreadable
        ("1 раз в месяц", (K.MONTHLY, None)),
        ("до 15 октября 2021, далее – раз в месяц", (K.MONTHLY, None)),
        ("ежегодно", (K.YEARLY, None)),
        ("ежегодно в мае и ноябре", (K.YEARLY, None)),
        ("ежегодно не позднее 30 ноября", (K.YEARLY, None)),
        ("согласно графику", (K.BY_PLAN, None)),
        ("по мере необходимости", (K.ON_REQUEST, None)),
        ("по окончании учебного года", (K.END_OF_PERIOD, None)),
    ],
)
def test_variants(text, expected):
    parsed = parse_deadline(text)
    assert (parsed.kind, parsed.end) == expected
    assert parsed.text == text


@pytest.mark.parametrize(
    "text",
    [
        "когда-нибудь",
        "xyz 2022 abc",
        "май 2022 или позже",
        "май",  # no year
        "мартобря 2022",
        "маршрут 2022",
        "31 февраля 2022",  # impossible dates
        "29 февраля 2023",
        "0 мая 2022",
        "32 мая 2022",
        "15.13.2021",
        "2024-2023",  # reversed spans
        "ноябрь-февраль 2022",  # which winter? not guessed
        "декабрь, январь 2022",
        "май 2021 2022",
        "до мая 2022",  # by the start or by the end of May?
        "ежегодно (май, когда-нибудь)",
        "до 15 октября 2021, далее – раз в два года",
        "2 раза в месяц",  # no due dates to compute from that: a person decides
        "после этапа 0",
        "в течение третьего полугодия 2022",
        "V квартал 2022",
        "2023-2025 учебный год",
        "1899",
        "2022 2023",
        "по запросу xyz",
        "٢٠٢٢",  # non-ASCII digits are not years
        "",
        "   ",
        " . , ",
    ],
)
def test_unreadable(text):
    parsed = parse_deadline(text)
    assert parsed == ParsedDeadline(text=text, kind=K.UNREADABLE)
    assert not parsed.is_readable
    assert parsed.due_dates(D(2000, 1, 1), D(2100, 1, 1)) == []


def test_none_is_unreadable_with_empty_text():
    assert parse_deadline(None) == ParsedDeadline(text="", kind=K.UNREADABLE)


def test_text_is_kept_verbatim():
    text = "  Май –\nиюнь\n2022г.  "
    parsed = parse_deadline(text)
    assert parsed.text == text
    assert parsed.kind is K.RANGE


def test_yearly_day_is_clamped_in_short_years():
    parsed = parse_deadline("ежегодно до 29 февраля")
    assert (parsed.months, parsed.day) == ((2,), 29)
    assert parsed.due_dates(D(2023, 1, 1), D(2024, 12, 31)) == [D(2023, 2, 28), D(2024, 2, 29)]


def test_then_yearly_does_not_recur_before_first_date():
    parsed = parse_deadline("до 21 октября 2021, далее – ежегодно")
    assert parsed.due_dates(D(2019, 1, 1), D(2021, 12, 31)) == [D(2021, 10, 21)]


def test_since_is_not_due_before_it_starts():
    parsed = parse_deadline("С сентября 2021 года.")
    assert parsed.due_dates(D(2020, 9, 1), D(2021, 8, 31)) == []


def test_due_dates_outside_or_reversed_period():
    assert parse_deadline("Март 2022").due_dates(*SY22) == []
    assert parse_deadline("постоянно").due_dates(D(2022, 8, 31), D(2021, 9, 1)) == []
    # YEARS is clipped to the period
    assert parse_deadline("2020-2024").due_dates(*Y2022) == [D(2022, 12, 31)]
    assert parse_deadline("1 раз в квартал").due_dates(D(2022, 3, 31), D(2022, 3, 31)) == [
        D(2022, 3, 31)
    ]


@pytest.mark.parametrize("text", [row[0] for row in ALL_PHRASES] + ["когда-нибудь", ""])
def test_dict_round_trip(text):
    parsed = parse_deadline(text)
    data = parsed.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert ParsedDeadline.from_dict(data) == parsed


def test_to_dict_shape():
    data = parse_deadline("до 21 октября 2021, далее – ежегодно").to_dict()
    assert data == {
        "text": "до 21 октября 2021, далее – ежегодно",
        "kind": "yearly",
        "start": "2021-10-21",
        "end": None,
        "periods": [],
        "months": [10],
        "day": 21,
        "stage": None,
        "first_due": "2021-10-21",
    }


# Text built from the parser's own vocabulary reaches the deeper shapes far more often
# than arbitrary unicode does.
_WORDS = [
    "до", "в", "с", "ежегодно", "далее", "–", "-", ",", "(", ")", "май", "мая", "февраля",
    "ноябрь", "декабрь", "31", "29", "1", "5", "2021", "2022", "2024", "г.", "года",
    "течение", "года", "после", "этапа", "квартал", "полугодия", "первого", "раз",
]  # fmt: skip
_texts = st.one_of(st.text(), st.lists(st.sampled_from(_WORDS), max_size=8).map(" ".join))


@settings(max_examples=500, deadline=None)
@given(text=_texts, a=st.dates(), b=st.dates())
def test_never_raises(text, a, b):
    parsed = parse_deadline(text)
    assert parsed.text == text
    assert isinstance(parsed.kind, DeadlineKind)
    start, end = min(a, b), max(a, b)
    due = parsed.due_dates(start, end)
    assert due == sorted(set(due))
    assert all(start <= d <= end for d in due)
    assert ParsedDeadline.from_dict(parsed.to_dict()) == parsed


# The SPb pilot's "Подведение итогов": one deadline per numbered sub-item, which the
# importer hands to the children; the parent itself is read "по подпунктам".
SPB_BY_ITEMS = (
    "1. сентябрь-октябрь 2021 г.\n2. октябрь 2021 г.\n3. постоянно\n"
    "4. ежегодно (май, ноябрь)\n5. ноябрь 2021 г."
)


def test_numbered_list_of_readable_deadlines_is_by_items():
    parsed = parse_deadline(SPB_BY_ITEMS)
    assert parsed == ParsedDeadline(text=SPB_BY_ITEMS, kind=K.BY_ITEMS)
    assert parsed.is_readable
    assert parsed.due_dates(*SY21) == []
    assert parsed.due_dates(D(2000, 1, 1), D(2100, 12, 31)) == []
    assert ParsedDeadline.from_dict(parsed.to_dict()) == parsed


@pytest.mark.parametrize(
    "text",
    [
        "1) до 15 октября 2021\n2) по запросу",
        "  1. май 2022\n2.июнь\n2022 г.\n",  # an item running over lines, stray spaces
    ],
)
def test_by_items_variants(text):
    parsed = parse_deadline(text)
    assert (parsed.kind, parsed.text) == (K.BY_ITEMS, text)


@pytest.mark.parametrize(
    "text",
    [
        "1. сентябрь-октябрь 2021 г.\n2. когда-нибудь\n3. постоянно",
        "1. май 2022\n2. май",  # no year in the second item
        "1. май 2022\n2.",
        "Сроки:\n1. май 2022\n2. июнь 2022",  # text before the list
    ],
)
def test_numbered_list_with_an_unreadable_item_stays_unreadable(text):
    parsed = parse_deadline(text)
    assert parsed == ParsedDeadline(text=text, kind=K.UNREADABLE)
    assert not parsed.is_readable


@pytest.mark.parametrize("text", ["1. май 2022", "1. май 2022\n3. июнь 2022"])
def test_single_item_list_is_not_by_items(text):
    assert parse_deadline(text).kind is K.UNREADABLE
