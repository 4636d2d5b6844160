"""What a roadmap's document says of itself: its period, its order, its whole title; lists.

Pure: no database. The seed fixtures and small documents built here.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import pytest

from roadmaps.deadlines import DeadlineKind, item_deadlines, parse_deadline
from roadmaps.importing import read_roadmap
from roadmaps.importing.period import (
    DocumentOrder,
    DocumentPeriod,
    order_in,
    period_in,
    period_of_dates,
)
from roadmaps.importing.subitems import split_listed
from roadmaps.services.scheduling import needs_clarification

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "roadmaps"
D = date


def read(name: str):
    return read_roadmap((FIXTURES / name).read_bytes(), name)


def make_docx(paragraphs: list[str], rows: list[list[str]]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=0, cols=len(rows[0]))
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


HEADER = ["№", "Мероприятие", "Ответственные", "Сроки"]


# --------------------------------------------------------------------------- the period


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("Дорожная карта на 2022–2024 годы", (D(2022, 1, 1), D(2024, 12, 31), "на 2022–2024 годы")),
        (
            "План мероприятий на 2023/2024 учебный год",
            (D(2023, 9, 1), D(2024, 8, 31), "на 2023/2024 учебный год"),
        ),
        (
            "ДОРОЖНАЯ КАРТА НА 2021-2022 ГОД",  # one «год», two calendar years: a school year
            (D(2021, 9, 1), D(2022, 8, 31), "НА 2021-2022 ГОД"),
        ),
        ("Дорожная карта на 2024 год", (D(2024, 1, 1), D(2024, 12, 31), "на 2024 год")),
        (
            "План (дорожная карта) 2023 – 2024 гг.",
            (D(2023, 1, 1), D(2024, 12, 31), "2023 – 2024 гг."),
        ),
        (
            "Дорожная карта школы на 2023-2024 уч. год",
            (D(2023, 9, 1), D(2024, 8, 31), "на 2023-2024 уч. год"),
        ),
    ],
)
def test_the_title_states_the_period(title, period):
    assert period_in(title) == DocumentPeriod(*period[:2], source="title", text=period[2])


def test_a_heading_after_the_title_then_before_it_and_never_an_appendix_mark():
    appendix = "Приложение к «Программе развития кадров на 2022-2027 годы»"
    found = period_in(
        "Дорожная карта", after=["Внедрение модели\n2023-2024г.г."], before=[appendix]
    )
    assert found == DocumentPeriod(D(2023, 1, 1), D(2024, 12, 31), "heading", "2023-2024г.г.")
    assert period_in("Дорожная карта", before=[appendix]) is None
    assert period_in("Дорожная карта", before=["(2020-2024 гг.)"]).source == "heading"


@pytest.mark.parametrize(
    "line",
    [
        "Вовлечь не менее 70% педагогов в возрасте до 35 лет в 2023",  # a year in a sentence
        "от 12.05.2022г. № 243",  # an order's date
        "Утверждено приказом на 2023-2024 годы",
        "Дорожная карта на 2024-2022 годы",
    ],
)
def test_what_is_not_a_statement_of_the_period(line):
    assert period_in("Дорожная карта", after=[line]) is None


def test_the_period_from_the_span_of_dates():
    one_school_year = [(D(2023, 9, 1), D(2023, 10, 31)), (D(2024, 5, 1), D(2024, 5, 31))]
    assert period_of_dates(one_school_year) == DocumentPeriod(
        D(2023, 9, 1), D(2024, 8, 31), "dates"
    )
    across = [(D(2022, 3, 1), D(2022, 3, 31)), (D(2022, 10, 1), D(2022, 10, 31))]
    assert period_of_dates(across) == DocumentPeriod(D(2022, 1, 1), D(2022, 12, 31), "dates")
    assert period_of_dates([]) is None


def test_the_order_approving_the_roadmap():
    mark = "Приложение 2\nк приказу Отдела образования\nот  12.05.2022г.    №  243"
    assert order_in(["Дорожная карта", mark]) == DocumentOrder("243", D(2022, 5, 12))
    assert order_in(["Приложение к постановлению № 15-п"]) == DocumentOrder("15-п", None)
    assert order_in(["Задачи: № 1"]) is None


@pytest.mark.parametrize(
    ("name", "period", "order"),
    [
        (
            "naberezhnye-chelny-2023-2024.docx",
            DocumentPeriod(D(2023, 1, 1), D(2024, 12, 31), "heading", "2023-2024г.г."),
            None,
        ),
        (
            "naberezhnye-chelny-2023-2024.xlsx",
            DocumentPeriod(D(2023, 1, 1), D(2024, 12, 31), "heading", "2023-2024г.г."),
            None,
        ),
        ("oblivsky.docx", None, DocumentOrder("243", D(2022, 5, 12))),
        (
            "spb-appo.docx",
            DocumentPeriod(D(2020, 1, 1), D(2024, 12, 31), "heading", "2020-2024 гг."),
            None,
        ),
    ],
)
def test_the_seed_roadmaps_state_their_period(name, period, order):
    roadmap = read(name)
    assert (roadmap.period, roadmap.order) == (period, order)


# --------------------------------------------------------------------------- the title


def test_a_title_over_several_paragraphs_is_kept_whole():
    data = make_docx(
        [
            "УТВЕРЖДАЮ",
            "Директор МБОУ «СОШ № 5»",
            "Дорожная карта",
            "внедрения целевой модели наставничества",
            "в МБОУ «СОШ № 5» г. Энска",
            "на 2023/2024 учебный год",
            "Цель: создание условий для наставничества.",
        ],
        [HEADER, ["1", "Приказ о наставничестве", "Директор", "сентябрь 2023"]],
    )
    roadmap = read_roadmap(data, "x.docx")
    assert roadmap.title == (
        "Дорожная карта внедрения целевой модели наставничества в МБОУ «СОШ № 5» г. Энска "
        "на 2023/2024 учебный год"
    )
    assert roadmap.period == DocumentPeriod(
        D(2023, 9, 1), D(2024, 8, 31), "title", "на 2023/2024 учебный год"
    )


def test_a_short_title_takes_the_next_paragraph_a_complete_one_does_not():
    short = make_docx(
        ["ПЛАН МЕРОПРИЯТИЙ", "Школы наставников", "Задачи:"], [HEADER, ["1", "a", "b", "2023"]]
    )
    assert read_roadmap(short, "x.docx").title == "ПЛАН МЕРОПРИЯТИЙ Школы наставников"
    complete = make_docx(
        ["Дорожная карта внедрения целевой модели наставничества", "вебинар для кураторов"],
        [HEADER, ["1", "a", "b", "2023"]],
    )
    assert read_roadmap(complete, "x.docx").title == (
        "Дорожная карта внедрения целевой модели наставничества"
    )


# --------------------------------------------------------------------------- lists


def test_one_deadline_per_line_reads_by_items_when_the_lines_match_the_sub_items():
    text = "сентябрь 2023\nпо запросу\nежегодно (май)"
    parsed = parse_deadline(text)
    assert parsed.kind is DeadlineKind.BY_ITEMS
    assert item_deadlines(text) == ["сентябрь 2023", "по запросу", "ежегодно (май)"]
    assert not needs_clarification(parsed, has_sub_items=True, sub_items=3)
    assert needs_clarification(parsed, has_sub_items=True, sub_items=2)
    assert needs_clarification(parsed, has_sub_items=False, sub_items=0)
    # One phrase over several lines is one deadline, not a list.
    assert item_deadlines("Май –\nиюнь\n2024") is None


def test_an_unnumbered_per_item_deadline_cell_makes_a_readable_parent():
    data = make_docx(
        [],
        [
            HEADER,
            [
                "3",
                "Мониторинг:\n1. входной\n2. итоговый",
                "Куратор\nПсихолог",
                "сентябрь 2023\nмай 2024",
            ],
        ],
    )
    [item] = read_roadmap(data, "x.docx").sections[0].activities
    assert [(c.title, c.responsible, c.deadline_text) for c in item.children] == [
        ("входной", "Куратор", "сентябрь 2023"),
        ("итоговый", "Психолог", "май 2024"),
    ]
    parsed = parse_deadline(item.deadline_text)
    assert parsed.kind is DeadlineKind.BY_ITEMS
    assert not needs_clarification(parsed, has_sub_items=True, sub_items=len(item.children))


def test_a_list_with_one_shared_deadline_is_offered_for_splitting():
    data = make_docx(
        [],
        [
            HEADER,
            [
                "4",
                "Методические мероприятия:\n- семинар для наставников\n- конкурс пар",
                "ИМЦ",
                "в течение 2023/2024 учебного года",
            ],
        ],
    )
    [item] = read_roadmap(data, "x.docx").sections[0].activities
    assert item.children == [] and item.title.startswith("Методические мероприятия:\n- семинар")
    assert item.listed is not None and item.listed.cell == "title"
    assert item.listed.items == [("", "семинар для наставников"), ("", "конкурс пар")]

    split_listed(item)
    assert item.title == "Методические мероприятия:"
    assert [(c.title, c.responsible, c.deadline_text) for c in item.children] == [
        ("семинар для наставников", "ИМЦ", "в течение 2023/2024 учебного года"),
        ("конкурс пар", "ИМЦ", "в течение 2023/2024 учебного года"),
    ]
    assert item.listed is None
