"""Reading roadmaps from Word and Excel files (pure: no database, no Django settings).

The fixtures in ``fixtures/roadmaps`` are built from the seed documents by
``fixtures/roadmaps/build_fixtures.py``, which also writes ``expected.json``.
"""

import io
import json
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from roadmaps.deadlines import DeadlineKind, parse_deadline
from roadmaps.importing import (
    ParsedActivity,
    ParsedRoadmap,
    RoadmapFileError,
    read_roadmap,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "roadmaps"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
NC_DOCX = "naberezhnye-chelny-2023-2024.docx"
NC_XLSX = "naberezhnye-chelny-2023-2024.xlsx"
CYRILLIC = re.compile(r"[А-Яа-яЁё]{4,}")


def read(name: str) -> ParsedRoadmap:
    return read_roadmap((FIXTURES / name).read_bytes(), name)


def activity_dict(activity: ParsedActivity) -> dict:
    return {
        "number": activity.number,
        "title": activity.title,
        "content": activity.content,
        "responsible": activity.responsible,
        "deadline": activity.deadline_text,
        "expected_result": activity.expected_result,
        "document_kind": activity.document_kind,
        "children": [activity_dict(child) for child in activity.children],
    }


def roadmap_dict(roadmap: ParsedRoadmap) -> dict:
    return {
        "title": roadmap.title,
        "sections": [
            {
                "title": section.title,
                "for_every_school": section.for_every_school,
                "activities": [activity_dict(a) for a in section.activities],
            }
            for section in roadmap.sections
        ],
    }


def rows(roadmap: dict) -> list[tuple[str, str, str, str, str]]:
    """(section, number, title, responsible, deadline) of every activity, in order."""
    return [
        (s["title"], a["number"], a["title"], a["responsible"], a["deadline"])
        for s in roadmap["sections"]
        for a in s["activities"]
    ]


def activity(roadmap: ParsedRoadmap, section_prefix: str, number: str) -> ParsedActivity:
    for section in roadmap.sections:
        if section.title.startswith(section_prefix):
            for item in section.activities:
                if item.number == number:
                    return item
    raise AssertionError(f"no activity {number} in a section {section_prefix!r}")


# --------------------------------------------------------------------------- fixtures


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_reads_back_as_expected(name):
    got = roadmap_dict(read(name))
    expected = EXPECTED[name]
    # the short listing first: a failure shows which activity differs
    assert rows(got) == rows(expected)
    assert [(s["title"], s["for_every_school"]) for s in got["sections"]] == [
        (s["title"], s["for_every_school"]) for s in expected["sections"]
    ]
    assert got == expected


def test_expected_json_holds_every_seed_activity():
    counts = {
        name: sum(len(s["activities"]) for s in roadmap["sections"])
        for name, roadmap in EXPECTED.items()
    }
    assert counts == {NC_DOCX: 42, NC_XLSX: 42, "spb-appo.docx": 61, "oblivsky.docx": 22}


def test_naberezhnye_chelny_sections_and_duties_of_every_school():
    roadmap = read(NC_DOCX)
    assert roadmap.title == (
        "План (дорожная карта) по реализации программных мероприятий по развитию кадров "
        "муниципальной системы образования города Набережные Челны"
    )
    assert [(s.title, s.for_every_school, len(s.activities)) for s in roadmap.sections] == [
        ("Управление дорожной картой.", False, 7),
        (
            "Нормативно-правовое обеспечение внедрения и реализации целевой модели наставничества.",
            False,
            4,
        ),
        (
            "Нормативно-правовое обеспечение внедрения и реализации целевой модели "
            "наставничества на уровне ОО",
            True,
            5,
        ),
        ("Кадровое обеспечение внедрения и реализации целевой модели наставничества", False, 4),
        (
            "Кадровое обеспечение внедрения и реализации целевой модели наставничества "
            "на уровне ОО",
            True,
            4,
        ),
        (
            "Ключевые мероприятия внедрения и реализации целевой модели наставничества.",
            False,
            11,
        ),
        (
            "Ключевые мероприятия внедрения и реализации целевой модели наставничества "
            "на уровне ОО.",
            True,
            3,
        ),
        ("Завершение внедрения программы наставничества", False, 4),
    ]
    # numbering restarts per section and is kept as written ("1" in the first, "1." later)
    assert [a.number for a in roadmap.sections[0].activities] == [str(n) for n in range(1, 8)]
    assert [a.number for a in roadmap.sections[2].activities] == ["5.", "6.", "7.", "8.", "9."]
    first = roadmap.sections[0].activities[0]
    assert first.responsible == "Управление образования МБУ «ИМЦ»"
    assert first.deadline_text == "2023-2024"
    assert first.row_number == 3  # header, section row, then this one


def test_naberezhnye_chelny_rows_split_by_page_breaks_are_joined():
    roadmap = read(NC_DOCX)
    item = activity(
        roadmap,
        "Ключевые мероприятия внедрения и реализации целевой модели наставничества на уровне ОО",
        "13.",
    )
    assert item.title == (
        "Организация текущего контроля достижения планируемых результатов\nнаставниками."
    )
    assert item.responsible == "Образовательные организации"
    item = activity(
        roadmap,
        "Нормативно-правовое обеспечение внедрения и реализации целевой модели наставничества.",
        "3.",
    )
    assert item.title.endswith("внедрения целевой модели\nнаставничества для обсуждения.")
    assert item.expected_result.endswith(
        "для\nобразовательных организации города Набережные Челны."
    )
    item = activity(
        roadmap,
        "Нормативно-правовое обеспечение внедрения и реализации целевой "
        "модели наставничества на уровне ОО",
        "8.",
    )
    assert item.expected_result.count("\n") == 7  # eight paragraphs of the cell
    continued = [w for w in roadmap.warnings if "продолжает мероприятие" in w]
    assert len(continued) == 4
    # 42 activities, none made out of a continuation row
    assert sum(len(s.activities) for s in roadmap.sections) == 42
    assert all(a.number for s in roadmap.sections for a in s.activities)


def test_xlsx_matches_docx():
    from_excel = read(NC_XLSX)
    from_word = read(NC_DOCX)
    assert roadmap_dict(from_excel) == roadmap_dict(from_word)
    assert from_excel.warnings == []  # Excel rows are never split by pages
    # integers typed in Excel come back as the digits
    assert from_excel.sections[0].activities[0].number == "1"
    assert from_excel.sections[0].activities[0].row_number == 6  # title, subtitle, blank, header


def test_spb_two_tables_two_row_header_and_repeated_headers():
    roadmap = read("spb-appo.docx")
    assert roadmap.title == "«ДОРОЖНАЯ КАРТА» ВНЕДРЕНИЯ ЕДИНОЙ ЦЕЛЕВОЙ МОДЕЛИ НАСТАВНИЧЕСТВА В ОУ"
    last = roadmap.sections[-1]
    assert last.title == "ДОРОЖНАЯ КАРТА НА 2021-2022 ГОД"  # the heading above table 2
    assert len(last.activities) == 24  # the header repeated on 8 slides is not an activity
    assert all(a.title != "Мероприятие" and a.number == "" for a in last.activities)
    assert [a.deadline_text for a in last.activities[:4]] == [
        "16 сентября 2021",
        "сентябрь 2021",
        "сентябрь- октябрь 2021",
        "до 15 октября 2021",
    ]
    assert last.activities[1].responsible == (
        "Общеобразовательные организации Санкт-Петербурга, ИМЦ района, Мюсов В.А., "
        "специалист по УМР Центра развития наставничества СПб АППО"
    )
    # table 1: "Дата проведения" and "Ответственный" sit under the merged "Исполнение"
    monitoring = activity(roadmap, "ВНЕДРЕНИЕ", "21.")
    assert monitoring.deadline_text == "ежегодно (май, ноябрь)"
    flags = [(s.title[:25], s.for_every_school) for s in roadmap.sections]
    assert flags == [
        ("НОРМАТИВНЫЕ ДОКУМЕНТЫ", False),
        ("РЕАЛИЗАЦИЯ ПИЛОТНОГО ПРОЕ", False),
        ("На уровне ОО – участников", True),
        ("На уровне всех ОО: ПОДГОТ", True),
        ("ВНЕДРЕНИЕ ЦЕЛЕВОЙ МОДЕЛИ ", False),
        ("На уровне всех ОО:", True),
        ("РЕАЛИЗАЦИЯ ПРОГРАММ НАСТА", False),
        ("На уровне ОО – новый цикл", True),
        ("ДОРОЖНАЯ КАРТА НА 2021-20", False),
    ]


def test_spb_numbered_sub_items_become_children():
    roadmap = read("spb-appo.docx")
    pilot = activity(roadmap, "РЕАЛИЗАЦИЯ ПИЛОТНОГО", "9.")
    assert pilot.title == "Подведение итогов пилотного проекта"
    assert pilot.content == ""  # the whole cell was the list
    assert [(c.number, c.title, c.responsible, c.deadline_text) for c in pilot.children] == [
        (
            "1",
            "Проведение конкурса лучших практик наставничества.",
            "Центр развития наставничества СПб АППО",
            "сентябрь-октябрь 2021 г.",
        ),
        (
            "2",
            "Создание банка эффективных практик ГОУ - участников пилотного проекта.",
            "Центр развития наставничества СПб АППО",
            "октябрь 2021 г.",
        ),
        (
            "3",
            "Организация информирования общественности о реализации методологии (целевой "
            "модели) наставничества в ГОУ.",
            "Администрации районов Санкт-Петербурга",
            "постоянно",
        ),
        (
            "4",
            "Мониторинг эффективности и результатов реализации программ наставничества.",
            "Центр развития наставничества СПб АППО",
            "ежегодно (май, ноябрь)",
        ),
        (
            "5",
            "Городская конференция по итогам пилотного проекта.",
            "Центр развития наставничества СПб АППО",
            "ноябрь 2021 г.",
        ),
    ]
    assert all(c.row_number == pilot.row_number for c in pilot.children)
    # the parent keeps its cells as written
    assert pilot.deadline_text.startswith("1. сентябрь-октябрь 2021 г.\n2. октябрь 2021 г.")
    # ...and its list of per-item deadlines reads "по подпунктам", not as unclear
    assert parse_deadline(pilot.deadline_text).kind is DeadlineKind.BY_ITEMS
    assert [parse_deadline(c.deadline_text).kind for c in pilot.children] == [
        DeadlineKind.RANGE,
        DeadlineKind.MONTH,
        DeadlineKind.CONTINUOUS,
        DeadlineKind.YEARLY,
        DeadlineKind.MONTH,
    ]

    order = activity(roadmap, "НОРМАТИВНЫЕ", "1.")
    assert len(order.children) == 6
    assert [c.responsible for c in order.children] == (
        ["Комитет по образованию Санкт-Петербурга"] * 2
        + ["Администрации районов Санкт-Петербурга"] * 4
    )
    # one deadline for the whole list: every item inherits it
    assert {c.deadline_text for c in order.children} == {"2020-2024 гг."}

    # a dashed list without per-item responsible/deadline stays one text
    acts = activity(roadmap, "РЕАЛИЗАЦИЯ ПИЛОТНОГО", "5.")
    assert acts.children == []
    assert acts.content.startswith("- Разработка и утверждение типового положения")


def test_oblivsky_repeated_header_continued_row_and_skipped_table():
    roadmap = read("oblivsky.docx")
    assert roadmap.title.startswith("План мероприятий (дорожная карта) по реализации Положения")
    assert len(roadmap.sections) == 1
    section = roadmap.sections[0]
    assert (section.title, section.for_every_school) == ("Мероприятия", False)
    assert [a.number for a in section.activities] == [f"{n}." for n in range(1, 23)]

    continued = section.activities[14]
    assert continued.number == "15."
    assert continued.title == (
        "Организация и проведение\nсеминаров и консультаций по отдельным вопросам "
        "реализации целевой\nмодели наставничества"
    )
    assert continued.responsible == "Отдел образования\nОУ"
    assert continued.deadline_text == "В течение года"
    assert continued.expected_result == (
        "Обеспечена консультационная\nподдержка участникам реализации системы наставничества"
    )
    assert section.activities[15].number == "16."

    # dashed items in the title cell with one responsible line each
    monitoring = section.activities[12]
    assert monitoring.title == "Осуществение мониторинга наставнической деятельности"
    assert [(c.title, c.responsible, c.deadline_text) for c in monitoring.children] == [
        ("На школьном уровне", "Рук.ОУ", "В течение года"),
        ("На муниципальном уровне", "РМК", "В течение года"),
    ]
    # deadlines exactly as typed, line breaks and typos included
    assert section.activities[5].deadline_text == "Май –\nиюнь\n2022"
    assert section.activities[11].deadline_text == "май 2022г."
    assert section.activities[13].deadline_text == "В течеие года"
    assert any("Таблица 1 пропущена" in w for w in roadmap.warnings)
    assert any("Таблица 2, строка 17" in w and "продолжает" in w for w in roadmap.warnings)


# --------------------------------------------------------------------------- layouts


def make_docx(rows: list[list[str]], *, heading: str = "") -> bytes:
    document = docx.Document()
    if heading:
        document.add_paragraph(heading)
    table = document.add_table(rows=0, cols=len(rows[0]))
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_columns_in_any_order_with_synonyms():
    data = make_docx(
        [
            [
                "Сроки реализации",
                "Ответственный исполнитель",
                "Содержание деятельности",
                "N п/п",
                "Ожидаемый результат",
                "Форма представления результата",
            ],
            [
                "Сентябрь-октябрь 2022",
                "Куратор",
                "Анкетирование педагогов",
                "1.1",
                "Анкеты",
                "Справка",
            ],
        ],
        heading="План мероприятий школы",
    )
    roadmap = read_roadmap(data, "plan.docx")
    assert roadmap.title == "План мероприятий школы"
    [item] = roadmap.sections[0].activities
    assert (item.number, item.title, item.responsible, item.deadline_text) == (
        "1.1",
        "Анкетирование педагогов",  # the content column stands in for a missing title
        "Куратор",
        "Сентябрь-октябрь 2022",
    )
    assert (item.expected_result, item.document_kind) == ("Анкеты", "Справка")


def test_sub_items_need_matching_counts():
    data = make_docx(
        [
            ["Мероприятие", "Ответственные", "Сроки"],
            ["Встречи:\n1. первая\n2. вторая\n3. итоговая", "Куратор\nНаставник", "2023"],
            ["Опросы:\n1) входной\n2) итоговый", "Психолог", "Сентябрь\nМай"],
        ]
    )
    first, second = read_roadmap(data, "x.docx").sections[0].activities
    assert first.children == []  # 3 items, 2 responsible lines, 1 deadline
    assert first.title.startswith("Встречи:\n1. первая")
    assert second.title == "Опросы:"
    assert [(c.number, c.title, c.responsible, c.deadline_text) for c in second.children] == [
        ("1", "входной", "Психолог", "Сентябрь"),
        ("2", "итоговый", "Психолог", "Май"),
    ]


def test_title_falls_back_to_the_file_name_and_section_defaults():
    data = make_docx([["Мероприятие", "Сроки"], ["Совет наставников", "По плану"]])
    roadmap = read_roadmap(data, "Дорожная карта школы 40.docx")
    assert roadmap.title == "Дорожная карта школы 40"
    assert [s.title for s in roadmap.sections] == ["Мероприятия"]


def test_xlsx_found_by_content_not_by_extension():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["№", "Мероприятие", "Ответственные", "Срок"])
    sheet.append([1, "Школа наставников", "Куратор", "Октябрь 2022"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    roadmap = read_roadmap(buffer.getvalue(), "roadmap.docx")
    [item] = roadmap.sections[0].activities
    assert (item.number, item.title, item.deadline_text) == (
        "1",
        "Школа наставников",
        "Октябрь 2022",
    )


# --------------------------------------------------------------------------- refusals


def zip_bytes(members: dict[str, bytes | int]) -> bytes:
    """A zip; an int member is that many zero bytes, written in chunks."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            chunk = b"\0" * (1024 * 1024)
            with archive.open(name, "w", force_zip64=True) as member:
                for _ in range(content // len(chunk)):
                    member.write(chunk)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """200 MB of zeros deflated to a few hundred KB, posing as a Word document."""
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": 200 * 1024 * 1024})


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.parametrize(
    ("case", "data", "filename", "phrase"),
    [
        ("letter", None, "not-a-roadmap.docx", "нет таблицы дорожной карты"),
        ("unrelated table", None, "wrong-table.docx", "не найдены столбцы «Мероприятие»"),
        ("png", PNG, "roadmap.docx", "не похож на документ Word"),
        ("renamed text", "Дорожная карта на 2023 год".encode(), "roadmap.docx", "не похож"),
        ("empty", b"", "roadmap.docx", "пустой"),
        ("too big", b"PK\x03\x04" + b"\0" * (10 * 1024 * 1024), "big.docx", "слишком большой"),
        (
            "old word",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
            "old.doc",
            "старом формате",
        ),
        ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "roadmap.pdf", "PDF"),
        ("other zip", zip_bytes({"readme.txt": b"hello"}), "roadmap.xlsx", "не похож"),
        ("broken zip", b"PK\x03\x04" + b"garbage" * 100, "roadmap.docx", "повреждён"),
        ("broken docx", zip_bytes({"word/document.xml": b"<not xml"}), "r.docx", "Не удалось"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 20 else None,
)
def test_refusals_have_a_russian_message(case, data, filename, phrase):
    if data is None:
        data = (FIXTURES / filename).read_bytes()
    with pytest.raises(RoadmapFileError) as caught:
        read_roadmap(data, filename)
    message = caught.value.message
    assert phrase in message
    assert CYRILLIC.search(message)
    assert str(caught.value) == message


def test_wrong_table_names_the_columns_it_found():
    with pytest.raises(RoadmapFileError) as caught:
        read("wrong-table.docx")
    assert "«ФИО», «Класс», «Телефон родителей»" in caught.value.message


def test_zip_bomb_is_refused_before_inflating():
    data = zip_bomb()
    assert len(data) < 10 * 1024 * 1024
    with pytest.raises(RoadmapFileError) as caught:
        read_roadmap(data, "bomb.docx")
    assert "zip-бомб" in caught.value.message


def test_highly_compressed_member_is_refused_even_under_the_total_limit():
    data = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": 50 * 1024 * 1024})
    with pytest.raises(RoadmapFileError, match="сжатых данных"):
        read_roadmap(data, "bomb.docx")
