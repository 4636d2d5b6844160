"""The words of deadline phrases: every form a word takes, mapped to one lexeme.

A lexeme is (kind, value): ("MONTH", 5) for «май», «мая», «мае», «май.»; ("UNIT", "q")
for «квартал», «кв.»; ("BY", None) for «до», «к», «не позднее». The grammar speaks only
in lexemes, so a new spelling is one more entry here, never one more phrase shape.

Multi-word expressions whose parts carry no meaning of their own («в течение», «по мере
необходимости», «не реже») are rewritten into one word before tokenising (PHRASES).
"""

from __future__ import annotations

import re

__all__ = ["NOUN_STEMS", "PHRASES", "WORDS", "fuzzy_word"]

Lexeme = tuple[str, object]


def _forms(table: dict[object, str], kind: str) -> dict[str, Lexeme]:
    return {word: (kind, value) for value, words in table.items() for word in words.split()}


# Nominative, genitive («16 сентября»), prepositional («в мае»), dative («к маю») and
# the usual abbreviations; the form carries no meaning for a deadline.
MONTHS = {
    1: "январь января январе январю янв",
    2: "февраль февраля феврале февралю февр фев",
    3: "март марта марте марту мар",
    4: "апрель апреля апреле апрелю апр",
    5: "май мая мае маю",
    6: "июнь июня июне июню июн",
    7: "июль июля июле июлю июл",
    8: "август августа августе августу авг",
    9: "сентябрь сентября сентябре сентябрю сент сен сентяб",
    10: "октябрь октября октябре октябрю окт",
    11: "ноябрь ноября ноябре ноябрю нояб ноя",
    12: "декабрь декабря декабре декабрю дек",
}

# Ordinals in words and Roman numerals (Latin letters; «І» is folded to «i» earlier).
ORDINALS = {
    1: "первый первого первом первое первая первой первую первые первых i",
    2: "второй второго втором второе вторая вторую вторые вторых ii",
    3: "третий третьего третьем третье третья третьей третью третьи iii",
    4: "четвертый четвертого четвертом четвертое четвертая четвертой четвертую iv",
    5: "пятый пятого пятом пятое пятая пятой v",
    6: "шестой шестого шестом шестое vi",
    7: "седьмой седьмого седьмом vii",
    8: "восьмой восьмого восьмом viii",
    9: "девятый девятого девятом ix",
    10: "десятый десятого десятом x",
}

# Parts of a year and units of a frequency.
UNITS = {
    "q": "квартал квартала квартале кварталом кварталы кварталов кварталах кварталам кв кварт",
    "h": "полугодие полугодия полугодии полугодий полугодиям полугод полгода",
    "t": "четверть четверти четвертей четвертям четв",
    "tri": "триместр триместра триместре триместры триместров",
    "m": "месяц месяца месяце месяцем месяцев месяцы мес",
    "w": "неделя недели неделю неделе недель нед",
    "y": "год года году годом г",
    "ys": "годы годов годах гг лет",
}

# Seasons, as the months they span; winter is left out: which year would it be in?
SEASONS = {
    (3, 5): "весна весной весны весне весенний весеннего весеннем весенние",
    (6, 8): "лето летом лета лете летний летнего летнем летние",
    (9, 11): "осень осенью осени осенний осеннего осеннем осенние",
}

# «ежегодно», «ежемесячный» ...: a frequency in one word.
EVERY = {
    "y": "ежегодно ежегодный ежегодное ежегодная ежегодные ежегодного ежегодной",
    "m": "ежемесячно ежемесячный ежемесячное ежемесячная ежемесячные",
    "w": "еженедельно еженедельный еженедельное еженедельная еженедельные",
    "q": "ежеквартально ежеквартальный ежеквартальное ежеквартальная ежеквартальные",
    "h": "ежеполугодно ежеполугодный ежеполугодное полугодово",
    "t": "ежечетвертно",
}

NUMBER_WORDS = {1: "один одна одного одну", 2: "два две", 3: "три", 4: "четыре", 6: "шесть"}

WEEKDAYS = {
    1: "понедельникам понедельник",
    2: "вторникам вторник",
    3: "средам среда",
    4: "четвергам четверг",
    5: "пятницам пятница",
    6: "субботам суббота",
}

# (kind, forms): the function words and the words of the undated shapes.
KEYWORDS: dict[str, str] = {
    "IN": "в во",
    "NA": "на",
    "BY": "до к ко",
    "FROM": "с со",
    "PO": "по",
    "AND": "и",
    "THEN": "далее затем впоследствии",
    "DURING": "втечение",
    "CONT": "постоянно ежедневно систематически регулярно",
    "TIMES": "раз раза",
    "EACH": "каждый каждого каждой каждую каждом каждые каждых каждое",
    "ACAD": "учебный учебного учебном учебные учебных учебному учебным уч",
    "CAL": "календарный календарного календарном",
    "CUR": "текущего текущий текущем текущий этого данного",
    "ALL": "весь всего всей вся все всем",
    "PERIOD": "период периода периоде периодом периоды",
    "SROK": "срок срока сроке",
    "IMPL": "реализации действия внедрения выполнения",
    "REPORTING": "отчетного отчетный отчетном отчетным отчетному",
    "END": "конец конца конце концу",
    "FIN": "окончание окончания окончании завершение завершения завершении",
    "RES": "итоги итогам итогов итогах",
    "BEGIN": "начало начала начале началу",
    "AFTER": "после",
    "STAGE": "этап этапа этапе этапов этапам",
    "REQUEST": "запросу запросам запрос запроса запросов заявке заявкам заявок заявки "
    "обращению обращениям обращений требованию",
    "NEED": "понеобходимости",
    "PLAN": "плану плана план планом планам планы графику график графиком графика графикам",
    "ACCORDING": "согласно",
    "DAYW": "число числа числу",
    "NEXT": "следующего следующим следующий следующем",
    "ZA": "за",
    "UPDATE": "обновление обновления актуализация актуализации",
}

WORDS: dict[str, Lexeme] = {
    **_forms(MONTHS, "MONTH"),
    **_forms(ORDINALS, "ORD"),
    **_forms(UNITS, "UNIT"),
    **_forms(EVERY, "EVERY"),
    **_forms(NUMBER_WORDS, "NUM"),
    **_forms(WEEKDAYS, "WEEKDAY"),
    **_forms(SEASONS, "SEASON"),
    **{word: (kind, None) for kind, words in KEYWORDS.items() for word in words.split()},
}
# One word, two lexemes: «дважды» is «2 раза».
WORDS_EXPANDED: dict[str, tuple[Lexeme, ...]] = {
    "дважды": (("NUM", 2), ("TIMES", None)),
    "трижды": (("NUM", 3), ("TIMES", None)),
}


# Who asks, whose plan, what is carried out: «по запросу ОО», «по плану работы ИМЦ»,
# «весь период реализации программы». Abbreviations exactly, other words by stem.
def _split(words: str) -> list[str]:
    return words.split()


NOUN_WORDS = set(
    _split(
        "оо оу уо мо имц ммс мбу моу мбоу маоу мкоу гбоу гоу гбу мку цнппм иро ипк рмо шмо гмо "
        "ммо моуо руо гуо оуо доу дод цдо ддт вшк иом мсо ппк пмпк рмц рмк ммц мц цро ро нмс "
        "сош оош школа рф ро рт"
    )
)
NOUN_STEMS = tuple(
    _split(
        "образоват общеобразоват организац учрежд школ гимнази лице педагог учител наставни "
        "наставля родител обучающ учащ участник руковод директор администрац методич методист "
        "куратор специалист муниципал регион районн район городск управлени отдел департамент "
        "министерств комитет учредител орган самоуправл местн вышестоящ центр партнер "
        "работодател предприят вуз колледж молод заинтересованн контрол надзор работ мероприят "
        "программ проект модел целев дорожн карт внутр проведени аттестац курс повышени "
        "квалификац семинар совет отдельн утвержден индивидуал годов един маршрут пар групп "
        "конкурс олимпиад федеральн ведомств служб психолог классн коллектив образовани "
        "просвещени заместител зам сотрудни объединени ассоциац сообществ экспер "
        "подготов минпрос минобр"
    )
)

# Rewritten before tokenising: (pattern, replacement), in this order. "(?<![а-я])" keeps
# them from matching inside a word.
_W = r"(?<![а-яa-z0-9])"
PHRASES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"{_W}в ?теч(?:е?ни[еияй]?|еи[еия]|\.)?(?![а-я])"), " втечение "),
    (re.compile(rf"{_W}(?:на протяжении|в продолжение)(?![а-я])"), " втечение "),
    (re.compile(rf"{_W}(?:в срок )?не (?:позднее|позже)(?![а-я])"), " до "),
    (re.compile(rf"{_W}в срок (?=до |к )"), " "),
    (re.compile(rf"{_W}не реже(?![а-я])"), " "),
    (re.compile(rf"{_W}в соответствии со?(?![а-я])"), " согласно "),
    (
        re.compile(rf"{_W}(?:по мере|при|по|в случае|в зависимости от) необходимости(?![а-я])"),
        " понеобходимости ",
    ),
    (re.compile(rf"{_W}по мере поступления(?![а-я])"), " по "),
    (
        re.compile(rf"{_W}(?:и|а|,)? ?(?:в дальнейшем|в последующем|после чего|и далее)(?![а-я])"),
        " далее ",
    ),
    (re.compile(rf"{_W}на постоянной основе(?![а-я])"), " постоянно "),
    (re.compile(rf"{_W}начиная со?(?![а-я])"), " с "),
    (
        re.compile(rf"{_W}(?:ежегодное|ежегодная) (?:обновление|актуализация)(?![а-я])"),
        " ежегодно ",
    ),
    (re.compile(rf"{_W}(?:обновление|актуализация) ежегодно(?![а-я])"), " ежегодно "),
]


def _damerau_one(a: str, b: str) -> bool:
    """True if `b` is `a` with one letter changed, added, dropped or two swapped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff[0], diff[-1]
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


_FUZZY_MIN = 6
_FUZZY_POOL = [w for w in WORDS if len(w) >= _FUZZY_MIN and not w.isascii()]


def fuzzy_word(word: str) -> Lexeme | None:
    """One typo in a long word («сентабря», «ежеквартльно»): the lexeme, if unambiguous.

    Only words of six letters or more, with the first three letters right, and only when
    every near word means the same thing: a typo is read, a different word is not.
    """
    if len(word) < _FUZZY_MIN - 1:
        return None
    found = {WORDS[w] for w in _FUZZY_POOL if w[:3] == word[:3] and _damerau_one(word, w)}
    return found.pop() if len(found) == 1 else None
