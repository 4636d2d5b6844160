"""Issue 17, item 4 in the browser: the region's dashboard and roll-up mark a municipality
that has submitted the year «сдано» with the date, its row holding the submitted figures
and the live ones small beside them where they changed; both pages fit 1280 and 390 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import assert_fits
from tests.e2e.test_roadmap_journey import login

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _submit_with_older_figures(slug: str) -> None:
    """The municipality submits the year; then its snapshot is made to read as taken
    before some pairs were added (fewer participants and pupils) and a school closed,
    so that live figures differ from the submitted ones, as they do once work goes on
    after the submission."""
    from mentorship.models import Organization
    from mentorship.tenancy.scoping import tenant_scope
    from monitoring.indicators.models import YearSubmission
    from monitoring.indicators.selectors.dashboards import default_year
    from monitoring.indicators.services import oversight

    municipality = Organization.objects.get(slug=slug)
    with tenant_scope(municipality):
        submission = oversight.submission_submit(
            actor=None, municipality=municipality, year=default_year()
        )
        figures = submission.figures
        figures["participants"] = max(figures["participants"] - 7, 5)
        figures["schools"] += 1
        for value in figures["values"].values():
            if value["denominator"] and value["numerator"] >= 10:
                value["numerator"] -= 3
        YearSubmission.objects.filter(pk=submission.pk).update(figures=figures)


@pytest.mark.parametrize(
    ("path", "table", "name"),
    [("indicators/", "municipalities", "dashboard"), ("indicators/rollup/", "rollup", "rollup")],
)
def test_submitted_rows_read_as_submitted_at_both_widths(
    page, live_server, demo, shot, path, table, name
):
    _submit_with_older_figures("chelny")
    base = live_server.url
    login(page, base, "regional@demo.ru")
    for size, label in ((DESKTOP, "1280"), (PHONE, "390")):
        page.set_viewport_size(size)
        page.goto(f"{base}/o/tatarstan/{path}")
        rows = page.get_by_test_id(table).locator("tbody tr")
        row = rows.filter(has_text="г. Набережные Челны")
        expect(row.get_by_test_id("submitted-mark")).to_have_text("сдано")
        expect(row.get_by_test_id("submitted-date")).to_be_visible()
        expect(row.get_by_test_id("live-figure").first).to_contain_text("сейчас:")
        expect(
            rows.filter(has_not_text="г. Набережные Челны").get_by_test_id("submitted-mark")
        ).to_have_count(0)
        shot(f"region-submitted-{name}-{label}")
        if size is PHONE:
            assert_fits(page, PHONE["width"])
