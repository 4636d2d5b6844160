"""«Лучший наставник» end to end (issue 16, item 3): the methodist announces it and seats
two jury members, a school's curator nominates a mentor, both jury members score, the
methodist publishes the results, and the diploma and the reward order come out with the
mentor's name declined («вручается Морозову Игорю Петровичу», «Наградить … Морозова Игоря
Петровича»), in the PDF and in the editable .docx alike.

Clicks are counted: the whole journey, four people, stays within CLICK_BUDGET."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document as open_docx
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

MENTOR = "Морозов Игорь Петрович"
CLICK_BUDGET = 22  # 6 logins, 16 clicks of work (one opens «Ещё» for «Конкурсы»)


def _pdf_text(document) -> str:
    with document.file.open("rb") as handle:
        data = handle.read()
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(out.stdout.decode().split())


def _docx_text(document) -> str:
    with document.word_file.open("rb") as handle:
        doc = open_docx(io.BytesIO(handle.read()))
    return " ".join(" ".join(p.text for p in doc.paragraphs).split())


def test_best_mentor_contest(page, live_server, demo, shot):
    from mentorship.models import Document, DocumentStatus
    from mentorship.tenancy.scoping import unscoped_reads

    base = live_server.url
    clicks = 0

    def click(locator) -> None:
        nonlocal clicks
        clicks += 1
        locator.click()

    def login(email: str) -> None:
        page.context.clear_cookies()
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Электронная почта").fill(email)
        page.get_by_label("Пароль").fill("demo12345")
        click(page.get_by_role("button", name="Войти"))

    today = timezone.localdate()
    # The methodist announces the competition.
    login("methodist@demo.ru")
    # Competitions are an occasional section: under «Ещё» on the sections bar.
    click(page.get_by_role("navigation", name="Разделы").get_by_role("button", name="Ещё"))
    click(page.get_by_role("link", name="Конкурсы", exact=True))
    click(page.get_by_test_id("competition-new"))
    page.get_by_label("Название").fill("Лучший наставник")
    page.get_by_label("Номинации").fill("Лучший педагог-наставник")
    page.get_by_label("Критерии оценки").fill(
        "Результаты наставляемых; 10\nМетодическая активность; 10\nПортфолио; 5"
    )
    page.get_by_label("Приём заявок до").fill(f"{today + timedelta(days=7):%Y-%m-%d}")
    page.get_by_label("Оценивание до").fill(f"{today + timedelta(days=14):%Y-%m-%d}")
    click(page.get_by_role("button", name="Объявить"))
    expect(page.get_by_test_id("competition-status")).to_have_text("Объявлен")
    contest_path = re.sub(r"^https?://[^/]+", "", page.url)  # /o/chelny/contests/N/
    contest_id = int(contest_path.rstrip("/").rsplit("/", 1)[-1])

    # Two jury members: the methodist herself and the gymnasium's curator.
    jury = page.locator("select[name=user]")
    for email in ("methodist@demo.ru", "curator26@demo.ru"):
        value = jury.locator("option", has_text=email).get_attribute("value")
        jury.select_option(value)
        click(page.get_by_role("button", name="Добавить в жюри"))
    expect(page.get_by_test_id("jury").locator("li")).to_have_count(2)

    # School No. 40's curator nominates a mentor of the school.
    login("curator@demo.ru")
    click(page.get_by_role("link", name="Реестр", exact=True))
    click(page.get_by_test_id("competitions-link"))
    click(page.locator(f"a[href='/o/school-40/contests/{contest_id}/']"))
    page.get_by_label("Наставник").select_option(label=MENTOR)
    click(page.get_by_role("button", name="Подать заявку"))
    expect(page.get_by_test_id("nominees")).to_contain_text(MENTOR)
    shot("contest-01-nominated")

    # Both jury members score, each on one screen of their own.
    for email, org, points in (
        ("methodist@demo.ru", "chelny", ("9", "8", "5")),
        ("curator26@demo.ru", "gymnasium-26", ("10", "7", "4")),
    ):
        login(email)
        page.goto(f"{base}/o/{org}/contests/jury/{contest_id}/")
        inputs = page.get_by_test_id("sheet").locator("input")
        expect(inputs).to_have_count(3)
        for field, value in zip(inputs.all(), points, strict=True):
            field.fill(value)
        click(page.get_by_role("button", name="Сохранить оценки"))
        expect(page.locator("body")).to_contain_text("Оценки сохранены")
    shot("contest-02-jury-sheet")

    # The methodist publishes the results and issues the diploma and the reward order.
    login("methodist@demo.ru")
    page.goto(f"{base}{contest_path}")
    expect(page.get_by_test_id("results")).to_contain_text(re.compile(r"21[.,]50"))  # (22+21)/2
    click(page.get_by_role("button", name="Опубликовать итоги"))
    expect(page.get_by_test_id("competition-status")).to_have_text("Итоги подведены")
    shot("contest-03-results")
    click(page.get_by_role("button", name="Дипломы победителей"))
    expect(page.locator("body")).to_contain_text("Диплом победителя конкурса")
    page.goto(f"{base}{contest_path}")
    click(page.get_by_role("button", name="Приказ о поощрении победителей"))
    expect(page.locator("body")).to_contain_text("Приказ о поощрении наставников")

    with unscoped_reads():
        diploma = Document.objects.get(
            organization__slug="chelny",
            kind="competition_diploma",
            params__competition_id=contest_id,
        )
        order = Document.objects.get(
            organization__slug="chelny", kind="reward_order", params__competition_id=contest_id
        )
    assert diploma.status == order.status == DocumentStatus.READY, (diploma.error, order.error)
    for text in (_pdf_text(diploma), _docx_text(diploma)):
        assert "вручается Морозову Игорю Петровичу" in text
        assert "занявшему 1 место в номинации «Лучший педагог-наставник»" in text
    for text in (_pdf_text(order), _docx_text(order)):
        assert "По итогам конкурса «Лучший наставник»" in text
        assert "Морозова Игоря Петровича" in text

    # The winner is flagged on the mentor's card at the school.
    login("curator@demo.ru")
    page.goto(f"{base}/o/school-40/registry/?search=Морозов")
    click(page.get_by_role("link", name=MENTOR))
    expect(page.get_by_test_id("awards")).to_contain_text("Лучший наставник")
    assert clicks <= CLICK_BUDGET, clicks
