"""Import through the web and the command: the document's period, deadlines outside it,
lists split on request, and a warning before saving the same roadmap twice (issue 14)."""

from __future__ import annotations

import io
from datetime import date

import lxml.html
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from roadmaps.models import Activity, Roadmap

from .test_import_flow import (  # noqa: F401  (import_dir is an autouse fixture)
    FIXTURES,
    _flat,
    import_dir,
    preview_url,
    stored_tree,
    token_of,
    upload,
)

NC = "naberezhnye-chelny-2023-2024.docx"
SPB = "spb-appo.docx"
NO_PERIOD = {"period_start": "", "period_end": ""}
NC_PERIOD = {"period_start": "2023-01-01", "period_end": "2024-12-31"}


def activities(preview: dict) -> list[dict]:
    return [a for s in preview["sections"] for a in _flat(s["activities"])]


def count(html: str, name: str) -> int:
    return int(lxml.html.fromstring(html).xpath(f'//*[@data-count="{name}"]')[0].text)


def test_without_a_period_the_preview_reads_the_documents_own(client, cast):
    client.force_login(cast.methodist)
    token = token_of(upload(client, cast.muni, NC, **NO_PERIOD))

    response = client.get(preview_url(cast.muni, token))

    preview = response.context["preview"]
    assert (preview["period_start"], preview["period_end"]) == ("2023-01-01", "2024-12-31")
    assert preview["period_source"] == "heading"
    form = response.context["form"]
    assert (form.initial["period_start"], form.initial["period_end"]) == (
        "2023-01-01",
        "2024-12-31",
    )
    html = response.content.decode()
    assert "«2023-2024г.г.»" in html and "с 01.01.2023 по 31.12.2024" in html
    assert preview["counts"]["out_of_period"] == 0 == count(html, "out-of-period")
    assert all(a["due_dates"] for a in activities(preview) if a["deadline_kind"] != "by_items")


def test_deadlines_outside_the_typed_period_are_flagged_and_counted(client, cast):
    # The case: a 2023-2024 roadmap uploaded with another school year.
    client.force_login(cast.methodist)
    token = token_of(upload(client, cast.muni, NC))  # 2021-09-01 .. 2022-08-31

    response = client.get(preview_url(cast.muni, token))

    preview = response.context["preview"]
    outside = [a for a in activities(preview) if a["out_of_period"]]
    assert outside and all(not a["due_dates"] and not a["unclear"] for a in outside)
    assert preview["counts"]["out_of_period"] == len(outside)
    assert preview["counts"]["unclear"] == 0
    html = response.content.decode()
    assert count(html, "out-of-period") == len(outside)
    assert html.count('data-testid="out-of-period"') == len(outside)
    assert "по документу — с 01.01.2023 по 31.12.2024" in html

    # Saved as they are: the roadmap page says so too.
    client.post(preview_url(cast.muni, token), {"title": "Челны", **_period(preview)})
    with tenant_scope(cast.muni):
        stored = list(Activity.objects.all())
    assert sum(a.is_out_of_period for a in stored) == len(outside)


def _period(preview: dict) -> dict:
    return {"period_start": preview["period_start"], "period_end": preview["period_end"]}


def test_recalculating_reads_every_deadline_for_the_corrected_period(client, cast):
    client.force_login(cast.methodist)
    token = token_of(upload(client, cast.muni, NC))

    response = client.post(
        preview_url(cast.muni, token), {"title": "", "recalculate": "1", **NC_PERIOD}
    )

    assert response.status_code == 200
    assert response.context["preview"]["counts"]["out_of_period"] == 0
    again = client.get(preview_url(cast.muni, token)).context["preview"]
    assert (again["period_start"], again["period_end"]) == ("2023-01-01", "2024-12-31")
    assert again["counts"]["out_of_period"] == 0
    with unscoped_reads():
        assert not Roadmap.objects.exists()


def _listed(preview: dict) -> dict:
    return next(a for a in activities(preview) if a["split"])


def test_a_list_with_one_deadline_stays_whole_unless_split(client, cast):
    client.force_login(cast.methodist)
    token = token_of(upload(client, cast.muni, SPB))
    page = client.get(preview_url(cast.muni, token))
    listed = _listed(page.context["preview"])
    assert f'name="split-{listed["key"]}"' in page.content.decode()
    assert f'name="split-{listed["key"]}" id="split-{listed["key"]}" value="1" checked' not in (
        page.content.decode()
    )

    client.post(preview_url(cast.muni, token), {"title": "СПб", **_period(page.context["preview"])})

    _, _, stored = stored_tree(cast.muni)
    whole = next(a for a in stored if a.content == listed["content"] and a.parent_id is None)
    assert not any(a.parent_id == whole.pk for a in stored)


def test_a_list_split_in_the_preview_becomes_sub_items_with_its_deadline(client, cast):
    client.force_login(cast.methodist)
    token = token_of(upload(client, cast.muni, SPB))
    preview = client.get(preview_url(cast.muni, token)).context["preview"]
    listed = _listed(preview)

    response = client.post(
        preview_url(cast.muni, token),
        {"title": "СПб", f"split-{listed['key']}": "1", **_period(preview)},
    )

    assert response.status_code == 302
    _, _, stored = stored_tree(cast.muni)
    parent = next(a for a in stored if a.number == listed["number"] and a.title == listed["title"])
    children = [a for a in stored if a.parent_id == parent.pk]
    assert [(c.title, c.deadline_text, c.responsible_text) for c in children] == [
        (text, listed["deadline_text"], listed["responsible"])
        for _, text in listed["split"]["items"]
    ]
    assert parent.content == listed["split"]["lead"]
    # The sub-items share the parent's deadline and its reading (here: an empty cell).
    assert {c.deadline_unclear for c in children} == {parent.deadline_unclear}


def test_saving_the_same_roadmap_again_asks_first(client, cast):
    client.force_login(cast.methodist)
    first = token_of(upload(client, cast.muni, "oblivsky.docx", **NO_PERIOD))
    data = client.get(preview_url(cast.muni, first)).context["preview"]
    fields = {"title": data["title"], **_period(data)}
    assert client.post(preview_url(cast.muni, first), fields).status_code == 302

    second = token_of(upload(client, cast.muni, "oblivsky.docx", **NO_PERIOD))
    page = client.get(preview_url(cast.muni, second))
    html = page.content.decode()
    assert 'data-testid="duplicates"' in html and "confirm_duplicate" in html
    refused = client.post(preview_url(cast.muni, second), fields)
    assert refused.status_code == 200
    assert "Такая дорожная карта уже есть" in refused.content.decode()
    with unscoped_reads():
        assert Roadmap.objects.count() == 1

    confirmed = client.post(preview_url(cast.muni, second), {**fields, "confirm_duplicate": "on"})
    assert confirmed.status_code == 302
    with unscoped_reads():
        assert Roadmap.objects.count() == 2


def test_no_warning_for_another_period_or_another_order(client, cast):
    client.force_login(cast.methodist)
    token = token_of(upload(client, cast.muni, "oblivsky.docx", **NO_PERIOD))
    data = client.get(preview_url(cast.muni, token)).context["preview"]
    with tenant_scope(cast.muni):
        Roadmap.objects.create(
            organization=cast.muni,
            title=data["title"].upper(),
            period_start=date(2022, 1, 1),
            period_end=date(2022, 12, 31),
            order_number="999",  # approved by another order: a different roadmap
        )
        Roadmap.objects.create(
            organization=cast.muni,
            title=data["title"],
            period_start=date(2023, 1, 1),
            period_end=date(2023, 12, 31),
        )
    assert data["order"] == {"number": "243", "date": "2022-05-12"}
    assert (
        'data-testid="duplicates"' not in client.get(preview_url(cast.muni, token)).content.decode()
    )


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("import_roadmap", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_reads_the_period_and_refuses_a_second_copy(cast):
    path = str(FIXTURES / SPB)
    out = _command(path, "--org", cast.muni.slug)
    assert "Период: 01.01.2020 – 31.12.2024 (из документа «2020-2024 гг.»)" in out
    assert "Сроков вне периода дорожной карты: 0" in out
    with tenant_scope(cast.muni):
        roadmap = Roadmap.objects.get()
    assert (roadmap.period_start, roadmap.period_end) == (date(2020, 1, 1), date(2024, 12, 31))

    with pytest.raises(CommandError, match="Такая дорожная карта уже есть"):
        _command(path, "--org", cast.muni.slug)
    _command(path, "--org", cast.muni.slug, "--allow-duplicate")
    with unscoped_reads():
        assert Roadmap.objects.count() == 2
