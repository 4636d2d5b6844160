"""The Russian catalogue for the test run: compiled once, before any test renders a page.

`make test` compiles it first (the `messages` target); a plain `pytest` from a fresh
clone has no .mo (it is not in git), and without it Django quietly falls back to the
msgids' two forms («21 участников»). So the suite compiles it itself when it is missing
or older than the .po, and the plural tests then fail on a wrong catalogue, not on a
missing build step.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def ensure_compiled() -> None:
    if MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime:
        return
    from django.core.management import call_command
    from django.test.signals import language_changed

    # compilemessages walks the working tree for locale/ folders: not into .venv.
    call_command(
        "compilemessages",
        locale=["ru"],
        ignore_patterns=[".*", "node_modules", "var", "staticfiles"],
        verbosity=0,
    )
    # django.setup() has already read the catalogues (without this .mo) and caches them
    # per process: Django's own receiver for a changed LOCALE_PATHS forgets them.
    language_changed(setting="LOCALE_PATHS")
