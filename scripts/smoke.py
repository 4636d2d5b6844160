#!/usr/bin/env python3
"""Smoke run of the embedded default, the mode `make run` gives a new user.

No DATABASE_URL (SQLite), no REDIS_URL (Celery eager), no EMAIL_URL (console mail), all
of it under a temporary directory that is removed afterwards: the developer's var/ is
never touched. Steps, each the same management command a person would type:

    migrate, load_demo, send_reminders, send_campaign_reminders, every scheduled task,
    render_document of every registered document kind, import_roadmap --dry-run,
    import_registry --dry-run

One process runs them all (a manage.py per step would spend most of the time starting
Django and WeasyPrint). A step's output is shown only when it fails; any failure ends
the run with exit status 1 and the traceback.

    .venv/bin/python scripts/smoke.py [-v]        (or: make smoke)
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# What a deployment or the test suite sets; the embedded default is their absence.
UNSET = (
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "MEDIA_ROOT",
    "DEBUG",
    "HTTPS",
    "SECRET_KEY",
    "STATIC_MANIFEST",
    "DJANGO_SETTINGS_MODULE",
)
ROADMAP_FILE = ROOT / "fixtures" / "roadmaps" / "naberezhnye-chelny-2023-2024.docx"
REGISTRY_FILE = ROOT / "fixtures" / "registry" / "school-40-registry-clean.xlsx"
MUNICIPALITY = "chelny"
REGION = "tatarstan"
SCHOOL = "school-40"
# -v shows every step's output, not only a failed one's.
VERBOSE = "-v" in sys.argv[1:]


class SmokeFailure(Exception):
    pass


def step(name: str, action: Callable[[], Any]) -> Any:
    """Run one step with its output captured; print it (and the error) only on failure."""
    out = io.StringIO()
    started = time.perf_counter()
    saved = sys.stdout, sys.stderr
    # The console mail backend and the commands write to sys.stdout: keep the log short.
    sys.stdout = sys.stderr = out
    try:
        result = action()
    except BaseException as exc:
        sys.stdout, sys.stderr = saved
        print(f"СБОЙ  {name}", file=sys.stderr)
        print(out.getvalue(), file=sys.stderr)
        traceback.print_exc()
        raise SmokeFailure(name) from exc
    finally:
        sys.stdout, sys.stderr = saved
    print(f"ok    {name}  ({time.perf_counter() - started:.1f} с)", flush=True)
    if VERBOSE:
        print(out.getvalue())
    return result


def check_embedded(tmp: Path) -> None:
    from django.conf import settings

    database = settings.DATABASES["default"]
    problems = []
    if database["ENGINE"] != "django.db.backends.sqlite3":
        problems.append(f"database engine {database['ENGINE']}")
    if not str(database["NAME"]).startswith(str(tmp)):
        problems.append(f"database file {database['NAME']}")
    if not str(settings.MEDIA_ROOT).startswith(str(tmp)):
        problems.append(f"MEDIA_ROOT {settings.MEDIA_ROOT}")
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        problems.append("Celery is not eager")
    if settings.EMAIL_BACKEND != "django.core.mail.backends.console.EmailBackend":
        problems.append(f"mail backend {settings.EMAIL_BACKEND}")
    if problems:
        raise SmokeFailure("not the embedded default: " + "; ".join(problems))


def run_scheduled_tasks() -> None:
    """Every task in the beat schedule, run as beat would run it (eagerly here)."""
    from django.conf import settings

    from mentorship.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        app.tasks[entry["task"]].delay().get()


def kind_cases() -> dict[str, tuple[str, list[str]]]:
    """Document kind → (organisation, extra arguments) that render it from the demo."""
    from mentorship.models import Organization
    from mentorship.tenancy.scoping import tenant_scope
    from registry.models import CouncilMeeting, Pair, Participant

    school = Organization.objects.get(slug=SCHOOL)
    with tenant_scope(school):
        people = list(Participant.objects.order_by("pk").values_list("pk", flat=True)[:3])
        # The demo's school council has held one meeting (registry/demo.py).
        meeting = CouncilMeeting.objects.order_by("pk").values_list("pk", flat=True).first()
        # The demo's pairs are all working already, so there is no default set to order:
        # print the order on the school's pairs, as a reprint would.
        pairs = list(Pair.objects.order_by("pk").values_list("pk", flat=True))
    if not people or not pairs or not meeting:
        raise SmokeFailure(f"the demo has no participants, pairs or council meeting in {SCHOOL}")
    from registry.models import Competition

    with tenant_scope(Organization.objects.get(slug=MUNICIPALITY)):
        contest = Competition.objects.filter(status="published").order_by("pk").first()
    if contest is None:
        raise SmokeFailure(f"the demo has no published competition in {MUNICIPALITY}")
    return {
        "staff_list": (SCHOOL, []),
        "roadmap": (MUNICIPALITY, []),
        "municipal_report": (MUNICIPALITY, []),
        "regional_report": (REGION, []),
        "school_report": (SCHOOL, []),
        "consent_form": (SCHOOL, ["--param", "participant_ids=" + ",".join(map(str, people))]),
        "pair_order": (SCHOOL, ["--param", "pair_ids=" + ",".join(map(str, pairs))]),
        # Local acts (registry/documents/acts): the school's own, the municipality's too.
        "model_order": (SCHOOL, []),
        "curator_order": (SCHOOL, []),
        "regulation": (SCHOOL, []),
        "mentor_school_order": (SCHOOL, []),
        "council_order": (MUNICIPALITY, []),
        "reward_order": (SCHOOL, []),
        "thank_you_letter": (SCHOOL, []),
        "competition_diploma": (MUNICIPALITY, ["--param", f"competition_id={contest.pk}"]),
        "mentor_certificate": (
            SCHOOL,
            ["--param", "course=Школа наставника", "--param", "hours=36"],
        ),
        "council_protocol": (SCHOOL, ["--param", f"meeting_id={meeting}"]),
    }


def render_every_kind(tmp: Path) -> None:
    from django.core.management import call_command

    from mentorship.documents import kinds

    cases = step("find demo data for every document kind", kind_cases)
    registered = {kind.code for kind in kinds.all_kinds()}
    missing = registered - set(cases)
    if missing:
        raise SmokeFailure(
            "no smoke case for document kind(s) " + ", ".join(sorted(missing)) + ": add one "
            "to kind_cases() in scripts/smoke.py"
        )
    for code in sorted(registered):
        org, extra = cases[code]
        out = tmp / f"{code}.pdf"
        step(
            f"render_document {code} --org {org}",
            lambda code=code, org=org, extra=extra, out=out: call_command(
                "render_document", code, "--org", org, "--out", str(out), *extra
            ),
        )
        if not out.read_bytes().startswith(b"%PDF-"):
            raise SmokeFailure(f"{out.name} is not a PDF")
        if kinds.get(code).has_word:
            word = tmp / f"{code}.docx"
            step(
                f"render_document {code} --org {org} --out {word.name}",
                lambda code=code, org=org, extra=extra, out=word: call_command(
                    "render_document", code, "--org", org, "--out", str(out), *extra
                ),
            )
            if not word.read_bytes().startswith(b"PK"):
                raise SmokeFailure(f"{word.name} is not a Word file")


def run(tmp: Path) -> None:
    for name in UNSET:
        os.environ.pop(name, None)
    os.environ["VAR_DIR"] = str(tmp)
    os.environ["DJANGO_SETTINGS_MODULE"] = "mentorship.settings"
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)

    import django

    django.setup()
    from django.core.management import call_command

    check_embedded(tmp)
    step("migrate", lambda: call_command("migrate", "--noinput", verbosity=0))
    step("load_demo", lambda: call_command("load_demo"))
    step("send_reminders", lambda: call_command("send_reminders"))
    step("send_campaign_reminders", lambda: call_command("send_campaign_reminders"))
    step("scheduled tasks (eager Celery)", run_scheduled_tasks)
    render_every_kind(tmp)
    for command, path, org in (
        ("import_roadmap", ROADMAP_FILE, MUNICIPALITY),
        ("import_registry", REGISTRY_FILE, SCHOOL),
    ):
        step(
            f"{command} {path.name} --org {org} --dry-run",
            lambda c=command, p=path, o=org: call_command(c, str(p), "--org", o, "--dry-run"),
        )


def main() -> int:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mentorship-smoke-") as tmp:
        try:
            run(Path(tmp))
        except SmokeFailure as exc:
            print(f"Смоук встроенного режима НЕ ПРОЙДЕН: {exc}", file=sys.stderr)
            return 1
    print(f"Смоук встроенного режима пройден за {time.perf_counter() - started:.0f} с.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
