"""Russian plurals come from the catalogue: three forms, not the msgids' two.

Without locale/ru/LC_MESSAGES/django.mo Django picks the msgid for 1 and the plural
msgid for everything else: «21 муниципалитетов», «2 муниципалитетов». These tests render
the counted phrases the templates and the code actually use, so they fail on a missing
or wrong catalogue (tests/catalogue.py compiles it before the run when it is stale).
"""

from __future__ import annotations

import ast
import copy
import gettext
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings
from django.template import Context, engines
from django.templatetags.i18n import BlockTranslateNode
from django.utils import translation

from mentorship import audit, discovery
from tests.catalogue import MO

COUNTS = (1, 2, 5, 11, 21, 22)


class _Fixed:
    """A counter that resolves to a given number, whatever the template counts."""

    def __init__(self, n: int) -> None:
        self.n = n

    def resolve(self, context):
        return self.n


def _template_dirs() -> list[Path]:
    return [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]


def counted_phrases_in_templates() -> dict[tuple[str, str], str]:
    """(singular, plural) msgid → the first template using it, for every counted phrase."""
    engine = engines["django"].engine
    found: dict[tuple[str, str], str] = {}
    for root in _template_dirs():
        for path in sorted(root.rglob("*")):
            if path.suffix not in {".html", ".txt"}:
                continue
            name = path.relative_to(root).as_posix()
            template = engine.get_template(name)
            for node in template.nodelist.get_nodes_by_type(BlockTranslateNode):
                if node.plural:
                    singular = node.render_token_list(node.singular)[0]
                    plural = node.render_token_list(node.plural)[0]
                    found.setdefault((singular, plural), name)
    return found


def counted_phrases_in_code() -> dict[tuple[str, str], str]:
    """(singular, plural) of every ngettext call with literal messages in the apps."""
    files = {
        p
        for c in discovery.project_apps()
        for p in Path(c.path).resolve().rglob("*.py")
        if "migrations" not in p.parts
    }
    found: dict[tuple[str, str], str] = {}
    for path in sorted(files):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            func = call.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in {"ngettext", "ngettext_lazy", "npgettext", "npgettext_lazy"}:
                continue
            args = call.args[1:] if name.startswith("np") else call.args
            assert all(isinstance(a, ast.Constant) for a in args[:2]), (
                f"{path}:{call.lineno}: a counted phrase must be literal to be translated"
            )
            found.setdefault((args[0].value, args[1].value), f"{path.name}:{call.lineno}")
    return found


def render_counted(template_name: str, singular: str, n: int) -> str:
    """Render the template's own counted phrase `singular` for the number n."""
    template = engines["django"].engine.get_template(template_name)
    for node in template.nodelist.get_nodes_by_type(BlockTranslateNode):
        if node.plural and node.render_token_list(node.singular)[0] == singular:
            break
    else:
        raise AssertionError(f"{template_name} has no counted phrase {singular!r}")
    node = copy.copy(node)
    node.counter = _Fixed(n)
    context = Context({})
    context.template = template
    with translation.override("ru"):
        return " ".join(node.render(context).split())


# --- The catalogue --------------------------------------------------------------------


def test_the_catalogue_has_russian_three_form_rule():
    assert MO.exists(), "locale/ru/LC_MESSAGES/django.mo is missing: make messages"
    with MO.open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    forms = {n: catalogue.plural(n) for n in (1, 2, 4, 5, 11, 12, 14, 20, 21, 22, 25, 101, 111)}
    assert forms == {
        1: 0,
        2: 1,
        4: 1,
        5: 2,
        11: 2,
        12: 2,
        14: 2,
        20: 2,
        21: 0,
        22: 1,
        25: 2,
        101: 0,
        111: 2,
    }


def test_every_counted_phrase_has_three_forms_in_the_catalogue():
    with MO.open("rb") as f:
        catalogue = gettext.GNUTranslations(f)._catalog
    phrases = {**counted_phrases_in_code(), **counted_phrases_in_templates()}
    # The walk must see the project: a dozen templates and the code count things.
    assert len(phrases) >= 15, phrases
    missing = {
        singular: where
        for (singular, _plural), where in phrases.items()
        if not all(catalogue.get((singular, i)) for i in range(3))
    }
    assert missing == {}, (
        "give these counted phrases their three Russian forms in "
        f"locale/ru/LC_MESSAGES/django.po (make messages-update): {missing}"
    )


# --- Phrases as the templates render them ---------------------------------------------


@pytest.mark.parametrize(
    ("template", "singular", "expected"),
    [
        (
            "indicators/dashboard_region.html",
            "%(n)s муниципалитет",
            {
                1: "1 муниципалитет",
                2: "2 муниципалитета",
                5: "5 муниципалитетов",
                11: "11 муниципалитетов",
                21: "21 муниципалитет",
                22: "22 муниципалитета",
            },
        ),
        (
            "indicators/dashboard_municipality.html",
            "%(n)s образовательная организация",
            {
                1: "1 образовательная организация",
                2: "2 образовательные организации",
                5: "5 образовательных организаций",
                11: "11 образовательных организаций",
                21: "21 образовательная организация",
                22: "22 образовательные организации",
            },
        ),
        (
            "registry/participant_list.html",
            "Найден %(n)s участник",
            {
                1: "Найден 1 участник",
                2: "Найдено 2 участника",
                5: "Найдено 5 участников",
                11: "Найдено 11 участников",
                21: "Найден 21 участник",
                22: "Найдено 22 участника",
            },
        ),
        (
            "registry/consent_queue.html",
            "%(n)s человек",
            {
                1: "1 человек",
                2: "2 человека",
                5: "5 человек",
                11: "11 человек",
                21: "21 человек",
                22: "22 человека",
            },
        ),
        (
            "registry/participant_detail.html",
            "%(n)s год",
            {1: "1 год", 2: "2 года", 5: "5 лет", 11: "11 лет", 21: "21 год", 22: "22 года"},
        ),
        (
            "roadmaps/matrix.html",
            "%(n)s просроченная отметка",
            {
                1: "1 просроченная отметка",
                2: "2 просроченные отметки",
                5: "5 просроченных отметок",
                11: "11 просроченных отметок",
                21: "21 просроченная отметка",
                22: "22 просроченные отметки",
            },
        ),
        (
            "registry/pairs/list.html",
            "%(n)s работающая пара без встреч 30 дней и более.",
            {
                1: "1 работающая пара без встреч 30 дней и более.",
                2: "2 работающие пары без встреч 30 дней и более.",
                5: "5 работающих пар без встреч 30 дней и более.",
                11: "11 работающих пар без встреч 30 дней и более.",
                21: "21 работающая пара без встреч 30 дней и более.",
                22: "22 работающие пары без встреч 30 дней и более.",
            },
        ),
    ],
)
def test_template_phrases_take_the_russian_form(template, singular, expected):
    assert {n: render_counted(template, singular, n) for n in COUNTS} == expected


def test_phrases_in_code_take_the_russian_form():
    from django.utils.translation import ngettext

    def changed(n: int) -> str:
        # registry's bulk action message, as the view writes it
        return ngettext("Изменён %(n)s участник.", "Изменено участников: %(n)s.", n) % {"n": n}

    with translation.override("ru"):
        assert [changed(n) for n in COUNTS] == [
            "Изменён 1 участник.",
            "Изменены 2 участника.",
            "Изменено 5 участников.",
            "Изменено 11 участников.",
            "Изменён 21 участник.",
            "Изменены 22 участника.",
        ]
    assert ("Изменён %(n)s участник.", "Изменено участников: %(n)s.") in counted_phrases_in_code()


# --- A whole page ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "Найдена 1 запись"),
        (2, "Найдены 2 записи"),
        (5, "Найдено 5 записей"),
        (11, "Найдено 11 записей"),
        (21, "Найдена 21 запись"),
        (22, "Найдены 22 записи"),
    ],
)
def test_the_audit_page_counts_in_russian(client, cast, n, expected):
    for _ in range(n):
        audit.record(actor=cast.curator, organization=cast.school, action="participant.view")
    client.force_login(cast.curator)
    doc = lxml.html.fromstring(client.get("/o/school-a1/audit/").content.decode())
    count = doc.xpath('//*[@data-testid="audit-count"]')[0].text_content()
    assert " ".join(count.split()) == expected
