"""A region's working morning against one municipality: staff open the portal at once.

Run by tests/benchmarks/test_bench_mixed_load.py as `locust --headless` with the JSON that
load/mixed.py printed (BENCH_MIXED_SEED) and a file to write every response to
(BENCH_MIXED_OUT): the bench computes the percentiles from those, per page and overall.

The mix: curators (four in five users) open their to-do home, the registry, a person's
card, the pairs, the documents, now and then preview an import and request a PDF;
methodists open the municipality's home, the roadmap matrix and the indicators;
department staff the home, the documents and the indicators. Staff think between clicks.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from pathlib import Path

from locust import HttpUser, between, events, task

SEED = json.loads(Path(os.environ["BENCH_MIXED_SEED"]).read_text())
IMPORT_FILE = (
    Path(__file__).resolve().parents[3] / "fixtures/registry/school-40-registry-clean.xlsx"
).read_bytes()
_curators = itertools.cycle(SEED["curators"])
# (page, milliseconds, succeeded, when it finished): the bench keeps the steady part.
_responses: list[tuple[str, float, bool, float]] = []
KIND_OPTION = re.compile(r'<option value="([a-z_]+)"')


@events.request.add_listener
def _record(name, response_time, exception, **_kwargs) -> None:
    _responses.append((name, response_time, exception is None, time.time()))


@events.quitting.add_listener
def _dump(environment, **_kwargs) -> None:
    Path(os.environ["BENCH_MIXED_OUT"]).write_text(json.dumps(_responses))


class Staff(HttpUser):
    abstract = True
    wait_time = between(3, 10)
    email = ""
    org = ""

    def on_start(self) -> None:
        self.client.get("/accounts/login/", name="login")
        self.client.post(
            "/accounts/login/",
            {
                "username": self.email,
                "password": SEED["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="login",
        )

    def page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200 or "/accounts/login/" in response.url:
                response.failure(f"{response.status_code} at {response.url}")


class Curator(Staff):
    weight = 80

    def on_start(self) -> None:
        school = next(_curators)
        self.email, self.org = school["email"], school["org"]
        self.people, self.pairs = school["people"] or [0], school["pairs"] or [0]
        self.document = None
        super().on_start()

    @task(5)
    def home(self) -> None:
        self.page(f"/o/{self.org}/", "school home")

    @task(4)
    def registry(self) -> None:
        self.page(f"/o/{self.org}/registry/", "registry list")

    @task(3)
    def card(self) -> None:
        self.page(f"/o/{self.org}/registry/{random.choice(self.people)}/", "person card")  # noqa: S311

    @task(3)
    def pairs(self) -> None:
        self.page(f"/o/{self.org}/pairs/", "pairs")

    @task(2)
    def documents(self) -> None:
        self.page(f"/o/{self.org}/documents/", "documents (school)")

    @task(1)
    def import_preview(self) -> None:
        with self.client.post(
            f"/o/{self.org}/registry/import/",
            data={"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
            files={"file": ("registry.xlsx", IMPORT_FILE)},
            name="import preview",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "/import/" not in response.url:
                response.failure(f"{response.status_code} at {response.url}")

    @task(1)
    def pdf(self) -> None:
        """A document requested once, then watched, as a curator waits for it."""
        if self.document:
            self.page(self.document, "document page")
            return
        listing = self.client.get(f"/o/{self.org}/documents/", name="documents (school)")
        kinds = KIND_OPTION.findall(listing.text)
        if not kinds:
            return
        with self.client.post(
            f"/o/{self.org}/documents/request/",
            {
                "kind": kinds[0],
                "date": "2026-12-07",
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="PDF request",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "/documents/" not in response.url:
                response.failure(f"{response.status_code} at {response.url}")
            else:
                self.document = response.url.replace(self.host, "")


class Methodist(Staff):
    weight = 15

    def on_start(self) -> None:
        self.email, self.org = SEED["methodist"], SEED["municipality"]
        super().on_start()

    @task(4)
    def home(self) -> None:
        self.page(f"/o/{self.org}/", "municipality home")

    @task(3)
    def matrix(self) -> None:
        self.page(f"/o/{self.org}/roadmaps/{SEED['roadmap']}/matrix/", "roadmap matrix")

    @task(3)
    def indicators(self) -> None:
        self.page(f"/o/{self.org}/indicators/", "indicators")


class Department(Staff):
    weight = 5

    def on_start(self) -> None:
        self.email, self.org = SEED["department"], SEED["municipality"]
        super().on_start()

    @task(3)
    def home(self) -> None:
        self.page(f"/o/{self.org}/", "municipality home")

    @task(2)
    def documents(self) -> None:
        self.page(f"/o/{self.org}/documents/", "documents (municipality)")

    @task(2)
    def indicators(self) -> None:
        self.page(f"/o/{self.org}/indicators/", "indicators")
