"""Build the demo region from fixtures/demo.json; running it twice changes nothing."""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from mentorship.models import Organization, OrganizationKind, User
from mentorship.services import membership_grant, organization_create
from mentorship.tenancy.scoping import tenant_scope
from monitoring.demo import load_monitoring_demo
from monitoring.indicators.demo import load_indicators_demo
from registry.catalog import ensure_standard_forms
from registry.demo import load_school_demo
from registry.models import MentoringForm, Programme

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"


def _org(slug: str, **fields) -> Organization:
    existing = Organization.objects.filter(slug=slug).first()
    return existing or organization_create(actor=None, slug=slug, **fields)


class Command(BaseCommand):
    help = "Загружает демонстрационные данные: регион, муниципалитеты, школы, пользователей."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        ensure_standard_forms(MentoringForm)
        region_data = data["region"]
        region = _org(kind=OrganizationKind.REGION, **region_data)
        for muni_data in data["municipalities"]:
            schools = muni_data.pop("schools")
            municipality = _org(kind=OrganizationKind.MUNICIPALITY, parent=region, **muni_data)
            for school_data in schools:
                programmes = school_data.pop("programmes", [])
                school = _org(parent=municipality, **school_data)
                self._programmes(school, programmes)
        for user_data in data["users"]:
            self._user(user_data, data["password"])
        self._roadmap(Organization.objects.get(slug=data["roadmap"]["org"]), data["roadmap"])
        self._previous_roadmap(data["previous_roadmap"])
        load_indicators_demo(data["contingents"])
        self._matching_people(data["matching"])
        load_monitoring_demo(data["monitoring"])
        load_school_demo(data["school_demo"])
        self.stdout.write(self.style.SUCCESS("Демонстрационные данные загружены."))
        self.stdout.write(f"Демо-входы (пароль для всех: {data['password']}):")
        for user_data in data["users"]:
            label = "суперпользователь" if user_data.get("superuser") else user_data["role"]
            self.stdout.write(f"  {user_data['email']:<22} {label}")

    def _programmes(self, school: Organization, programmes: list[dict]) -> None:
        with tenant_scope(school):
            for p in programmes:
                Programme.objects.get_or_create(
                    organization=school,
                    name=p["name"],
                    defaults={
                        "form": MentoringForm.objects.get(code=p["form"]),
                        "operator": p["operator"],
                        "mentors_description": p["mentors"],
                        "mentor_role": p["mentor_role"],
                        "mentees_description": p["mentees"],
                        "period_text": p["period"],
                        "starts_on": date.fromisoformat(p["starts_on"]),
                    },
                )

    def _user(self, data: dict, password: str) -> None:
        user = User.objects.filter(email=data["email"]).first()
        if user is None:
            create = (
                User.objects.create_superuser if data.get("superuser") else User.objects.create_user
            )
            user = create(
                email=data["email"],
                password=password,
                last_name=data["last_name"],
                first_name=data["first_name"],
                patronymic=data["patronymic"],
                position=data["position"],
            )
        if "role" in data:
            org = Organization.objects.get(slug=data["org"])
            membership_grant(actor=None, user=user, organization=org, role=data["role"])

    def _roadmap(self, municipality: Organization, spec: dict) -> None:
        """The municipal roadmap, its school duties cascaded into every school."""
        from roadmaps.models import Roadmap
        from roadmaps.services.authoring import roadmap_create
        from roadmaps.services.cascade import roadmap_cascade

        with tenant_scope(municipality):
            if Roadmap.objects.filter(title=spec["title"]).exists():
                return
            methodist = User.objects.get(email=spec["author"])
            roadmap = roadmap_create(
                actor=methodist,
                organization=municipality,
                title=spec["title"],
                period_start=date.fromisoformat(spec["period_start"]),
                period_end=date.fromisoformat(spec["period_end"]),
                from_standard=True,
            )
            roadmap_cascade(actor=methodist, roadmap=roadmap)
        self._progress(spec["progress"])

    def _progress(self, marks: list[dict]) -> None:
        """Some schools have already reported, so the matrix is not a blank sheet."""
        from roadmaps.models import Activity
        from roadmaps.services.progress import activity_set_progress

        for mark in marks:
            school = Organization.objects.get(slug=mark["school"])
            curator = User.objects.filter(memberships__organization=school).first()
            with tenant_scope(school):
                activity = Activity.objects.filter(origin__isnull=False).order_by(
                    "section__position", "position"
                )[mark["index"]]
                activity_set_progress(
                    actor=curator, activity=activity, status=mark["status"], comment=mark["comment"]
                )

    def _previous_roadmap(self, spec: dict) -> None:
        """Last cycle's roadmap, imported from the municipality's own Word file (the seed)."""
        from roadmaps.models import Roadmap
        from roadmaps.services.authoring import roadmap_approve
        from roadmaps.services.importing import preview_import, roadmap_import

        municipality = Organization.objects.get(slug=spec["org"])
        path = Path(settings.BASE_DIR) / spec["file"]
        start, end = (
            date.fromisoformat(spec["period_start"]),
            date.fromisoformat(spec["period_end"]),
        )
        with tenant_scope(municipality):
            if Roadmap.objects.filter(period_start=start, origin__isnull=True).exists():
                return
            methodist = User.objects.get(email=spec["author"])
            preview = preview_import(
                path.read_bytes(), path.name, period_start=start, period_end=end
            )
            roadmap = roadmap_import(
                actor=methodist,
                organization=municipality,
                preview=preview,
                title=preview["title"],
                period_start=start,
                period_end=end,
            )
            roadmap_approve(
                actor=User.objects.get(email=spec["approver"]),
                roadmap=roadmap,
                order_number=spec["order_number"],
                order_date=date.fromisoformat(spec["order_date"]),
            )

    def _matching_people(self, spec: dict) -> None:
        """Unpaired consented mentors and mentees of school No. 40, so matching has work.

        Through the registry services; a person already there is left as is.
        """
        from registry.models import MentorPreference, Participant
        from registry.services.consent import consent_record
        from registry.services.participants import (
            mentee_need_add,
            mentor_profile_save,
            participant_create,
        )

        school = Organization.objects.get(slug=spec["school"])
        curator = User.objects.get(email=spec["curator"])
        forms = {f.code: f for f in MentoringForm.objects.all()}
        with tenant_scope(school):
            for item in spec["people"]:
                data = dict(item)
                consent, needs = data.pop("consent"), data.pop("needs", [])
                profile = data.pop("profile", None)
                mentor_forms = [forms[c] for c in data.pop("mentor_forms", [])]
                mentee_forms = [forms[c] for c in data.pop("mentee_forms", [])]
                data["birth_date"] = date.fromisoformat(data["birth_date"])
                if Participant.objects.filter(
                    last_name=data["last_name"], first_name=data["first_name"]
                ).exists():
                    continue
                person = participant_create(
                    actor=curator,
                    organization=school,
                    mentor_forms=mentor_forms,
                    mentee_forms=mentee_forms,
                    **data,
                )
                if profile:
                    mentor_profile_save(actor=curator, participant=person, **profile)
                for need in needs:
                    mentee_need_add(actor=curator, participant=person, **need)
                # One of them has no consent yet: the matching page counts them as excluded.
                if consent:
                    consent_record(
                        actor=curator,
                        participant=person,
                        given_on=date.fromisoformat(spec["consent_date"]),
                        purposes=["programme"],
                        **consent,
                    )
            # The questionnaire after the group meeting has no service yet (monitoring owns
            # questionnaires), so the demo's one preference is written directly.
            for pref in spec["preferences"]:
                MentorPreference.objects.get_or_create(
                    organization=school,
                    programme=Programme.objects.get(name=pref["programme"]),
                    mentee=Participant.objects.get(last_name=pref["mentee"]),
                    mentor=Participant.objects.get(last_name=pref["mentor"]),
                    defaults={"rank": pref["rank"]},
                )
