"""The grammar of deadline phrases: small parts, composed into the shapes a phrase takes.

Parts: calendar items (a day, a month, a stretch, years, a school year, a part of a
year, the beginning or end of one of those), frequencies («ежемесячно», «1 раз в
квартал», «3 раза в год», «по итогам каждой четверти»), anchors (months, a day of the
month, a weekday), bounds («в 2023-2024 гг.», «с сентября 2023»), and the words of the
undated shapes. SHAPES lists the whole phrases they compose into; a phrase is read by
the first shape that takes every one of its tokens (`read`), else it is unreadable.
"""

from __future__ import annotations

from . import shapes as S
from .combinators import (
    Parser,
    alt,
    first_complete,
    listed,
    many,
    maybe,
    pick,
    seq,
    some,
    tok,
    using,
    where,
)
from .items import Edge, Part, Ref, SchoolYears, Stretch, Years
from .parsed import DeadlineKind
from .tokens import Token

__all__ = ["SHAPES", "read"]

K = DeadlineKind

# --- Tokens ----------------------------------------------------------------------------

DASH, COMMA, LP, RP, NO = tok("DASH"), tok("COMMA"), tok("LP"), tok("RP"), tok("NO")
IN, NA, BY, FROM, PO, AND = tok("IN"), tok("NA"), tok("BY"), tok("FROM"), tok("PO"), tok("AND")
THEN, DURING, ZA, EACH = tok("THEN"), tok("DURING"), tok("ZA"), tok("EACH")
ACAD, CAL, CUR, ALL = tok("ACAD"), tok("CAL"), tok("CUR"), tok("ALL")
PERIOD, SROK, IMPL, REPORTING = tok("PERIOD"), tok("SROK"), tok("IMPL"), tok("REPORTING")
BEGIN, END, FIN, RES = tok("BEGIN"), tok("END"), tok("FIN"), tok("RES")
NOUN, MONTH, YEAR, NUM = tok("NOUN"), tok("MONTH"), tok("YEAR"), tok("NUM")
NUMBER = alt(NUM, tok("ORD"))  # «1», «1-й», «I», «первый»
YEAR_UNIT = tok("UNIT", "y")
YEARS_UNIT = alt(YEAR_UNIT, tok("UNIT", "ys"))
MONTH_UNIT = tok("UNIT", "m")
PART_UNIT = alt(*(tok("UNIT", u) for u in ("q", "h", "t", "tri")))
FREQ_UNIT = alt(*(tok("UNIT", u) for u in ("y", "q", "m", "w", "h", "t", "tri")))
SEP = alt(seq(COMMA, maybe(AND)), AND)  # «май, июнь», «май и июнь», «май, и июнь»


def opt_prefix(*words: Parser) -> Parser:
    return maybe(alt(*words))


# --- Calendar items --------------------------------------------------------------------

# «учебный год», «уч. г.», «учебные годы»: the value says whether it is plural.
ACAD_YEAR = using(seq(ACAD, maybe(YEARS_UNIT)), lambda _a, unit: unit == "ys")
SCHOOL_YEAR = alt(
    using(seq(tok("SYEAR"), maybe(ACAD_YEAR, False)), lambda y, pl: SchoolYears(*y, pl)),
    using(seq(YEAR, DASH, YEAR, ACAD_YEAR), lambda a, _d, b, pl: SchoolYears(a, b, pl)),
    using(
        seq(YEAR, DASH, NUM, ACAD_YEAR),  # «2023-24 уч. год»
        lambda a, _d, b, pl: SchoolYears(a, a // 100 * 100 + b, pl),
    ),
)
ONE_YEAR = using(seq(YEAR, maybe(YEAR_UNIT)), lambda y, _u: Years(y, y))
YEARS = alt(using(seq(YEAR, DASH, YEAR), lambda a, _d, b: Years(a, b)), ONE_YEAR)

DAY = alt(
    using(seq(NUMBER, MONTH, maybe(YEAR)), lambda d, m, y: Ref(d, m, y)),
    using(seq(tok("DATE")), lambda v: Ref(*v)),
    using(seq(tok("DM"), maybe(YEAR)), lambda v, y: Ref(v[0], v[1], y)),
)
MONTH_REF = alt(
    using(seq(MONTH, maybe(YEAR)), lambda m, y: Ref(None, m, y)),
    using(seq(MONTH, COMMA, YEAR), lambda m, _c, y: Ref(None, m, y)),  # «октябрь, 2023 г.»
)
REF = alt(DAY, MONTH_REF)
STRETCH = alt(
    using(seq(REF, DASH, REF), lambda a, _d, b: Stretch(a, b)),
    using(  # «15-30 сентября 2023», «с 15 по 30 сентября 2023»
        seq(maybe(FROM), NUM, alt(DASH, PO), NUM, MONTH, maybe(YEAR)),
        lambda _f, d1, _d, d2, m, y: Stretch(Ref(d1), Ref(d2, m, y)),
    ),
    using(seq(FROM, REF, PO, REF), lambda _f, a, _p, b: Stretch(a, b)),
    using(seq(FROM, REF, BY, DAY), lambda _f, a, _b, b: Stretch(a, b)),
)
PART = alt(
    using(  # «II квартал 2023», «1-2 кв.», «первое полугодие 2023/2024 учебного года»
        seq(NUMBER, maybe(pick(1, DASH, NUMBER)), PART_UNIT, maybe(alt(SCHOOL_YEAR, ONE_YEAR))),
        lambda a, b, unit, of: Part(unit, a, b or a, of),
    ),
)
EDGE_TARGET = alt(PART, SCHOOL_YEAR, ONE_YEAR, MONTH_REF)
BEGIN_OR_END = alt(
    using(seq(BEGIN), lambda _w: "begin"), using(seq(alt(END, FIN)), lambda _w: "end")
)
# «в конце 2023 года», «начало 2023/2024 учебного года», «по итогам I полугодия 2024»
EDGE_IN = alt(
    using(seq(maybe(IN), BEGIN_OR_END, EDGE_TARGET), lambda _i, w, x: Edge(w, x)),
    using(seq(PO, alt(RES, FIN), EDGE_TARGET), lambda _p, _w, x: Edge("end", x)),
)
EDGE = using(seq(BEGIN_OR_END, EDGE_TARGET), lambda w, x: Edge(w, x))
# «осень 2023», «в летний период 2024»: the season's months of that year.
SEASON = using(
    seq(tok("SEASON"), maybe(PERIOD), maybe(YEAR)),
    lambda months, _p, y: Stretch(Ref(None, months[0], y), Ref(None, months[1], y)),
)
ITEM = alt(STRETCH, PART, SCHOOL_YEAR, YEARS, SEASON, REF)

# --- Ongoing work and the undated shapes -----------------------------------------------

ONGOING = alt(
    tok("CONT"),  # «постоянно», «на постоянной основе», «ежедневно»
    # «в течение (всего / учебного / отчетного) года / периода»
    seq(DURING, maybe(ALL), many(alt(CUR, ACAD, REPORTING, CAL)), alt(YEAR_UNIT, PERIOD)),
    # «весь период», «на весь срок реализации программы», «в течение всего учебного года»
    seq(
        opt_prefix(DURING, NA, IN, ZA),
        ALL,
        opt_prefix(ACAD, CUR, REPORTING),
        alt(PERIOD, SROK, YEAR_UNIT),
        maybe(IMPL),
        many(NOUN),
    ),
)
PERIOD_END_OBJECT = alt(
    seq(REPORTING, alt(PERIOD, YEAR_UNIT)),
    seq(opt_prefix(ACAD, CAL, CUR), YEAR_UNIT),
    PERIOD,
    seq(IMPL, many(NOUN)),
)
# Who asks, whose plan: «ОО», «образовательных организаций», «(УО, ИМЦ)».
WHO = listed(some(alt(NOUN, ACAD)), SEP, minimum=1)
WHO_PART = alt(seq(LP, WHO, RP), WHO)
STAGE_NUMBER = alt(pick(2, tok("STAGE"), maybe(NO), NUMBER), pick(0, NUMBER, tok("STAGE")))
STAGE_TAIL = seq(LP, alt(BY, PO), alt(FIN, END), PERIOD_END_OBJECT, RP)

# --- Recurrences -----------------------------------------------------------------------

FREQ = alt(
    using(seq(tok("EVERY")), S.Freq),  # «ежегодно», «ежемесячно»
    using(  # «1 раз в квартал», «раз в месяц», «2 раза в год», «раз в полгода»
        seq(maybe(NUM, 1), tok("TIMES"), IN, maybe(EACH), FREQ_UNIT),
        lambda n, _t, _i, _e, unit: S.Freq(unit, n),
    ),
    using(  # «1 раз в 2 месяца»
        seq(maybe(NUM, 1), tok("TIMES"), IN, NUM, FREQ_UNIT),
        lambda n, _t, _i, per, unit: S.Freq(unit, n, per),
    ),
    using(seq(EACH, FREQ_UNIT), lambda _e, unit: S.Freq(unit)),  # «каждый квартал»
    using(  # «в конце каждого квартала», «по итогам четверти» (of a year: END_OF_PERIOD)
        seq(alt(seq(IN, END), seq(PO, alt(RES, FIN))), maybe(EACH), alt(PART_UNIT, MONTH_UNIT)),
        lambda _w, _e, unit: S.Freq(unit),
    ),
)
YEARLY_FREQ = where(FREQ, lambda f: f.unit == "y" and f.times == f.per == 1)
MONTH_ITEM = using(seq(maybe(IN), MONTH, maybe(pick(1, DASH, MONTH))), lambda _i, a, b: b or a)
MONTHS = using(listed(MONTH_ITEM, SEP, minimum=1), lambda ms: tuple(sorted(set(ms))))
NEXT_MONTH = seq(maybe(COMMA), tok("NEXT"), ZA, REPORTING, maybe(alt(FREQ_UNIT, PERIOD)))
ANCHOR_INNER = alt(
    using(MONTHS, lambda ms: S.Anchor(months=ms)),
    using(  # «до 5 числа (каждого месяца)», «до 10 числа месяца, следующего за отчетным»
        seq(
            BY,
            NUMBER,
            tok("DAYW"),
            maybe(seq(maybe(EACH), MONTH_UNIT)),
            maybe(NEXT_MONTH),
        ),
        lambda _b, d, _w, _m, nxt: S.Anchor(day=d, next_month=nxt is not None),
    ),
    using(seq(BY, NUMBER, MONTH), lambda _b, d, m: S.Anchor(months=(m,), day=d)),
    using(seq(alt(PO, IN, EACH), tok("WEEKDAY")), lambda _p, w: S.Anchor(weekday=w)),
)
ANCHOR = maybe(alt(pick(1, LP, ANCHOR_INNER, RP), pick(1, maybe(COMMA), ANCHOR_INNER)), S.NO_ANCHOR)
BOUNDS = pick(1, opt_prefix(DURING, IN, NA), alt(STRETCH, PART, SCHOOL_YEAR, YEARS))
SINCE_TARGET = alt(DAY, MONTH_REF, SCHOOL_YEAR, ONE_YEAR)
OPEN_BOUNDS = pick(1, FROM, SINCE_TARGET)
FIRST = pick(1, maybe(BY), alt(STRETCH, DAY, MONTH_REF))


def _recur(**parts):
    return lambda *values: S.recurrence(
        values[parts["freq"]],
        values[parts["anchor"]] if "anchor" in parts else S.NO_ANCHOR,
        **{name: values[index] for name, index in parts.items() if name not in ("freq", "anchor")},
    )


RECURRENCES = [
    # «ежегодно (май, ноябрь)», «ежемесячно до 5 числа, в 2023-2024 гг.»
    (
        "recurrence",
        using(
            seq(FREQ, ANCHOR, maybe(alt(pick(1, maybe(COMMA), BOUNDS), pick(1, LP, BOUNDS, RP)))),
            _recur(freq=0, anchor=1, bounds=2),
        ),
    ),
    # «ежемесячно, начиная с октября 2023»
    (
        "recurrence since",
        using(
            seq(FREQ, ANCHOR, maybe(COMMA), OPEN_BOUNDS),
            _recur(freq=0, anchor=1, open_bounds=3),
        ),
    ),
    # «2023-2024 ежегодное обновление», «в течение 2023/2024 уч. года (ежемесячно)»
    (
        "bounds, recurrence",
        alt(
            using(seq(BOUNDS, maybe(COMMA), FREQ, ANCHOR), _recur(bounds=0, freq=2, anchor=3)),
            using(seq(BOUNDS, LP, FREQ, ANCHOR, RP), _recur(bounds=0, freq=2, anchor=3)),
            using(
                seq(OPEN_BOUNDS, maybe(COMMA), FREQ, ANCHOR),
                _recur(open_bounds=0, freq=2, anchor=3),
            ),
        ),
    ),
    # «в течение года ежемесячно», «постоянно (1 раз в четверть)»
    (
        "ongoing, recurrence",
        alt(
            using(seq(ONGOING, maybe(COMMA), FREQ, ANCHOR), _recur(freq=2, anchor=3)),
            using(seq(ONGOING, LP, FREQ, ANCHOR, RP), _recur(freq=2, anchor=3)),
        ),
    ),
    # «май, ноябрь (ежегодно)», «в сентябре ежегодно»
    (
        "months, yearly",
        alt(
            using(seq(MONTHS, LP, YEARLY_FREQ, RP), lambda ms, _l, f, _r: _months(f, ms)),
            using(seq(MONTHS, maybe(COMMA), YEARLY_FREQ), lambda ms, _c, f: _months(f, ms)),
        ),
    ),
    # «до 21 октября 2021, далее – ежегодно», «сентябрь 2023 (ежегодно)»
    (
        "first date, then recurrence",
        alt(
            using(seq(FIRST, maybe(COMMA), THEN, maybe(DASH), FREQ), _recur(first=0, freq=4)),
            using(seq(FIRST, LP, maybe(THEN), YEARLY_FREQ, RP), _recur(first=0, freq=3)),
            using(seq(FIRST, maybe(COMMA), YEARLY_FREQ), _recur(first=0, freq=2)),
        ),
    ),
]


def _months(freq: S.Freq, months: tuple[int, ...]):
    return S.recurrence(freq, S.Anchor(months=months))


# --- Whole phrases ---------------------------------------------------------------------

# «ноябрь 2023, март 2024», «до 10 января, до 10 июня 2024»
ITEM_LIST = alt(pick(1, maybe(alt(IN, DURING)), ITEM), pick(1, BY, DAY))

SHAPES: list[tuple[str, Parser]] = [
    (
        "ongoing",  # «постоянно», «в течение года», «весь период реализации программы»
        using(seq(ONGOING, maybe(seq(maybe(COMMA), ONGOING))), lambda *_: S.constant(K.CONTINUOUS)),
    ),
    (
        "since",  # «с сентября 2021 года», «постоянно, начиная с 01.09.2023»
        alt(
            using(
                seq(OPEN_BOUNDS, maybe(seq(maybe(COMMA), maybe(THEN), ONGOING))),
                lambda item, _rest: S.since(item),
            ),
            using(seq(ONGOING, maybe(COMMA), OPEN_BOUNDS), lambda _o, _c, item: S.since(item)),
            using(seq(ONGOING, LP, OPEN_BOUNDS, RP), lambda _o, _l, item, _r: S.since(item)),
        ),
    ),
    (
        "after a stage",  # «В течении года, после этапа 5 (до завершения отчетного периода)»
        using(
            seq(
                maybe(seq(ONGOING, maybe(COMMA))),
                alt(seq(tok("AFTER"), maybe(FIN)), seq(PO, FIN)),
                STAGE_NUMBER,
                maybe(STAGE_TAIL),
            ),
            lambda _o, _a, n, _t: S.after_stage(n),
        ),
    ),
    (
        "end of the period",  # «В конце отчетного периода», «по итогам учебного года»
        using(
            seq(opt_prefix(IN, BY, PO), alt(END, FIN, RES), PERIOD_END_OBJECT),
            lambda *_: S.constant(K.END_OF_PERIOD),
        ),
    ),
    (
        "beginning of the school year",  # «в начале учебного года», «к началу учебного года»
        alt(
            using(seq(maybe(IN), BEGIN, ACAD_YEAR), lambda *_: S.school_year_start(by=False)),
            using(seq(BY, BEGIN, ACAD_YEAR), lambda *_: S.school_year_start(by=True)),
        ),
    ),
    (
        "on request",  # «по запросу», «по запросам ОО», «по мере необходимости»
        alt(
            using(seq(PO, tok("REQUEST"), maybe(WHO_PART)), lambda *_: S.constant(K.ON_REQUEST)),
            using(seq(tok("NEED")), lambda *_: S.constant(K.ON_REQUEST)),
        ),
    ),
    (
        "by plan",  # «По плану», «согласно графику», «по плану работы ИМЦ»
        using(
            seq(
                alt(PO, tok("ACCORDING")),
                many(alt(NOUN, ACAD)),
                tok("PLAN"),
                maybe(seq(DASH, tok("PLAN"))),
                maybe(WHO_PART),
            ),
            lambda *_: S.constant(K.BY_PLAN),
        ),
    ),
    *RECURRENCES,
    ("beginning or end of", using(EDGE_IN, S.point)),  # «в конце 2023 года»
    (
        "by a date",  # «до 15 октября 2021», «не позднее 01.09.2023», «до конца 2023 года»
        using(seq(alt(BY, PO), alt(EDGE, DAY)), lambda _b, item: S.point(item, by=True)),
    ),
    (
        "a date, month, stretch, part of a year, school year or years",
        using(seq(opt_prefix(IN, DURING, NA), ITEM), lambda _p, item: S.point(item)),
    ),
    (
        "parts of a year",  # «I, III кварталы 2023», «1 и 2 полугодие 2024»
        using(
            seq(listed(NUMBER, SEP), PART_UNIT, maybe(alt(SCHOOL_YEAR, ONE_YEAR))),
            lambda ns, unit, of: S.periods([Part(unit, n, n, of) for n in ns]),
        ),
    ),
    ("list", using(listed(ITEM_LIST, SEP), S.periods)),  # «ноябрь-декабрь 2021, январь 2022»
]

_PHRASE = alt(*(parser for _name, parser in SHAPES))


def read(tokens: list[Token]) -> S.Build | None:
    """The builder of the first shape that reads every token, or None."""
    return first_complete(_PHRASE, tokens) if tokens else None
