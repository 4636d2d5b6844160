"""Seed invitations and fire questionnaire submissions at a running portal.

Two halves, used by tests/benchmarks/test_bench_submissions.py:
- `python tests/benchmarks/load/submissions.py seed N` (with DATABASE_URL of a scratch
  database) writes a school, a running campaign and N invitations with the standard
  mentee questionnaire, and prints JSON: the tokens and a complete set of answers;
- `fire()` posts them from a bounded pool of threads over plain http.client, against
  127.0.0.1 only, and returns the timings.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path


def seed(count: int) -> dict:
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
    django.setup()
    from datetime import timedelta

    from django.utils import timezone

    from mentorship.models import Organization, OrganizationKind
    from mentorship.tenancy.scoping import tenant_scope
    from monitoring.models import Campaign, CampaignSchool, Invitation, Questionnaire
    from monitoring.services.answering import form_spec
    from monitoring.services.campaigns import new_token
    from monitoring.standard import ensure_standard_questionnaires
    from registry.models import Participant

    ensure_standard_questionnaires()
    region = Organization.objects.create(
        kind=OrganizationKind.REGION, slug="bench-region", short_name="Регион", full_name="Регион"
    )
    muni = Organization.objects.create(
        kind=OrganizationKind.MUNICIPALITY,
        parent=region,
        slug="bench-muni",
        short_name="Город",
        full_name="Город",
    )
    school = Organization.objects.create(
        kind=OrganizationKind.SCHOOL,
        parent=muni,
        slug="bench-school",
        short_name="Школа №1",
        full_name="МБОУ «Школа №1»",
    )
    questionnaire = Questionnaire.objects.get(
        standard_code="mentee_satisfaction", organization__isnull=True
    )
    today = timezone.localdate()
    with tenant_scope(muni):
        campaign = Campaign.objects.create(
            organization=muni,
            title="Мониторинг — нагрузка",
            starts_on=today - timedelta(1),
            ends_on=today + timedelta(7),
            mentee_questionnaire=questionnaire,
        )
    with tenant_scope(school):
        CampaignSchool.objects.create(organization=school, campaign=campaign)
        people = Participant.objects.bulk_create(
            Participant(
                organization=school,
                last_name=f"Ученик{i}",
                first_name="Иван",
                category="pupil",
                grade=8,
                is_mentee=True,
                consent_state="valid",
            )
            for i in range(count)
        )
        invitations = Invitation.objects.bulk_create(
            Invitation(
                organization=school,
                campaign=campaign,
                participant=p,
                questionnaire=questionnaire,
                role="mentee",
                token=new_token(),
                channel="print",
            )
            for p in people
        )
    answers: list[tuple[str, str]] = []
    for section in form_spec(questionnaire):
        for q in section.questions:
            if q.kind.startswith("scale"):
                answers.append((q.field, "4"))
            elif q.kind in ("yes_no", "single"):
                answers.append((q.field, "1"))
            elif q.kind == "multiple":
                answers += [(q.field, "0"), (q.field, "3")]
            else:
                answers.append((q.field, "Всё понравилось, хочу продолжить"))
    return {"tokens": [i.token for i in invitations], "answers": answers}


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    started: float = 0.0
    finished: float = 0.0

    @property
    def ok(self) -> int:
        return self.statuses.get(302, 0)

    @property
    def rate(self) -> float:
        return self.ok / (self.finished - self.started) if self.finished > self.started else 0.0

    def p95_ms(self) -> float:
        ordered = sorted(self.latencies)
        return 1000 * ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0


def csrf(port: int, token: str) -> tuple[str, str]:
    """GET one answer page: the CSRF cookie and the form's token (valid for every link)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", f"/q/{token}/")
    response = conn.getresponse()
    body = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    form = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    conn.close()
    return cookie, form


def fire(
    port: int,
    tokens: list[str],
    answers: list[tuple[str, str]],
    *,
    threads: int,
    max_seconds: float,
) -> Result:
    """POST each token's answers once, `threads` at a time, stopping at `max_seconds`."""
    cookie, form = csrf(port, tokens[0])
    body = urllib.parse.urlencode([*answers, ("csrfmiddlewaretoken", form)]).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookie}",
        "User-Agent": "bench-submissions",
    }
    result = Result()
    lock = threading.Lock()
    queue = iter(tokens)
    deadline = time.perf_counter() + max_seconds

    def worker() -> None:
        latencies, statuses = [], {}
        # One connection per thread, kept alive where the server allows (gthread);
        # http.client reopens it by itself after a response that closes it.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < deadline:
            with lock:
                token = next(queue, None)
            if token is None:
                break
            started = time.perf_counter()
            try:
                conn.request("POST", f"/q/{token}/", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                status = 0
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
        conn.close()
        with lock:
            result.latencies.extend(latencies)
            for status, n in statuses.items():
                result.statuses[status] = result.statuses.get(status, 0) + n

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    result.started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    result.finished = time.perf_counter()
    return result


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "seed":
        print(json.dumps(seed(int(sys.argv[2]))))
    else:
        sys.exit("usage: submissions.py seed N")
