"""Layout checks the browser tests share."""

# What sticks out past the right edge of the viewport, widest first: the message of a
# failed "fits the phone" check names the culprit instead of only a width.
_OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .map(e => [e, e.getBoundingClientRect().right])
  .filter(([e, right]) => right > window.innerWidth + 0.5)
  .sort((a, b) => b[1] - a[1]).slice(0, 5)
  .map(([e, right]) =>
    `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} → ${Math.round(right)} px`)"""


def assert_fits(page, width: int = 390) -> None:
    """Nothing on the page needs sideways scrolling at this width."""
    needed = page.evaluate("document.documentElement.scrollWidth")
    culprits = page.evaluate(_OVERFLOWING) if needed > width else []
    assert needed <= width, f"{page.url}: {needed} px wide at {width} px: {culprits}"
