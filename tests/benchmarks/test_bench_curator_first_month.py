"""The curator's first month in the browser, for `make bench`: the same journey as
tests/e2e/test_curator_first_month.py, printing
`BENCH curator first month: N clicks, M fields, P page loads, S s`."""

import pytest

from tests.e2e.conftest import browser_context_args, browser_type_launch_args
from tests.e2e.test_curator_first_month import (
    GOAL_CLICKS,
    GOAL_FIELDS,
    check_the_result,
    curator_first_month,
    fresh_school,
)

pytestmark = pytest.mark.bench

# The browser's fixtures live in tests/e2e/conftest.py; named here so pytest finds them.
__all__ = ["browser_context_args", "browser_type_launch_args", "fresh_school"]


def test_bench_curator_first_month(page, live_server, fresh_school, tmp_path):
    tally = curator_first_month(page, live_server.url, tmp_path)
    line = tally.line()
    print(f"\n{line}")
    check_the_result(fresh_school, tally.pdf)
    assert tally.clicks <= GOAL_CLICKS and tally.fields <= GOAL_FIELDS, line
