"""Build the demo region from fixtures/demo.json; running it twice changes nothing.

The core builds the organisation tree and the users; each app adds its part through a
loader listed in settings.DEMO_LOADERS (a dotted path to a function taking the whole
demo data), so the core imports no feature app. The loaders run in the listed order.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from mentorship.models import Organization, OrganizationKind, User
from mentorship.services import membership_grant, organization_create

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"


def _org(slug: str, **fields) -> Organization:
    existing = Organization.objects.filter(slug=slug).first()
    return existing or organization_create(actor=None, slug=slug, **fields)


def _organization_fields(data: dict) -> dict:
    """The organisation's own fields; nested app data (a school's programmes) is the apps'."""
    names = {f.name for f in Organization._meta.concrete_fields}
    return {k: v for k, v in data.items() if k in names}


class Command(BaseCommand):
    help = "Загружает демонстрационные данные: регион, муниципалитеты, школы, пользователей."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        region_data = data["region"]
        region = _org(kind=OrganizationKind.REGION, **region_data)
        for muni_data in data["municipalities"]:
            municipality = _org(
                kind=OrganizationKind.MUNICIPALITY, parent=region, **_organization_fields(muni_data)
            )
            for school_data in muni_data["schools"]:
                _org(parent=municipality, **_organization_fields(school_data))
        for user_data in data["users"]:
            self._user(user_data, data["password"])
        for path in settings.DEMO_LOADERS:
            import_string(path)(data)
        self.stdout.write(self.style.SUCCESS("Демонстрационные данные загружены."))
        self.stdout.write(f"Демо-входы (пароль для всех: {data['password']}):")
        for user_data in data["users"]:
            label = "суперпользователь" if user_data.get("superuser") else user_data["role"]
            self.stdout.write(f"  {user_data['email']:<22} {label}")

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
