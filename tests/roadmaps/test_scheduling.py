"""A list of per-item deadlines is readable only where sub-items carry its dates."""

from datetime import date

import pytest

from roadmaps.models import Activity, Roadmap
from roadmaps.services.importing import deadline_info
from roadmaps.services.scheduling import schedule

LIST = "1. сентябрь 2021 г.\n2. постоянно"
PERIOD = (date(2021, 9, 1), date(2022, 8, 31))


def _scheduled(text: str, has_sub_items: bool | None) -> Activity:
    activity = Activity(deadline_text=text)
    schedule(
        activity, Roadmap(period_start=PERIOD[0], period_end=PERIOD[1]), has_sub_items=has_sub_items
    )
    return activity


@pytest.mark.parametrize(
    ("has_sub_items", "unclear"), [(True, False), (None, False), (False, True)]
)
def test_a_per_item_list_is_flagged_only_on_an_activity_without_sub_items(has_sub_items, unclear):
    activity = _scheduled(LIST, has_sub_items)
    assert activity.deadline_kind == "by_items" and activity.deadline_text == LIST
    assert activity.deadline_unclear is unclear
    assert activity.due_date is None
    assert deadline_info(LIST, *PERIOD, has_sub_items=has_sub_items)["unclear"] is unclear


def test_a_plain_phrase_is_unaffected_by_sub_items():
    assert _scheduled("сентябрь 2021 г.", False).deadline_unclear is False
    assert _scheduled("когда-нибудь", True).deadline_unclear is True
