"""The standing cast every test can use.

Region → two municipalities; the first has two schools, the second one; a second region to play
the place nobody here may see; a curator per
school, a school viewer, a methodist, a department user and a regional user, plus a
methodist of the second municipality to play the stranger.
"""

import uuid
from dataclasses import dataclass

import pytest

from mentorship.celery import app as celery_app
from mentorship.models import Organization, OrganizationKind, Role, User
from tests.catalogue import ensure_compiled
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


def pytest_configure(config) -> None:
    # Russian plurals come from the compiled catalogue (not in git): build it if missing.
    ensure_compiled()


@dataclass
class Cast:
    region: Organization
    muni: Organization
    school: Organization
    school2: Organization
    other_muni: Organization
    other_school: Organization
    curator: User
    curator2: User
    viewer: User
    methodist: User
    department: User
    regional: User
    other_methodist: User
    other_curator: User
    far_region: Organization
    far_muni: Organization
    far_school: Organization

    def users_by_role(self) -> dict[str, User]:
        return {
            Role.CURATOR: self.curator,
            Role.SCHOOL_VIEWER: self.viewer,
            Role.METHODIST: self.methodist,
            Role.DEPARTMENT: self.department,
            Role.REGIONAL: self.regional,
        }


def _member(org: Organization, role: str, email: str) -> User:
    user = UserFactory(email=email)
    MembershipFactory(user=user, organization=org, role=role)
    return user


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


def build_cast() -> Cast:
    """The cast's rows; the permission matrix builds them once for its whole module."""
    region = OrganizationFactory(kind=OrganizationKind.REGION, slug="region", short_name="Регион")
    muni = OrganizationFactory(
        kind=OrganizationKind.MUNICIPALITY, parent=region, slug="muni", short_name="Город А"
    )
    other_muni = OrganizationFactory(
        kind=OrganizationKind.MUNICIPALITY, parent=region, slug="muni-b", short_name="Район Б"
    )
    school = OrganizationFactory(parent=muni, slug="school-a1", short_name="Школа А1")
    school2 = OrganizationFactory(parent=muni, slug="school-a2", short_name="Школа А2")
    other_school = OrganizationFactory(parent=other_muni, slug="school-b1", short_name="Школа Б1")
    # A second region: outside even the regional user's reach.
    far_region = OrganizationFactory(
        kind=OrganizationKind.REGION, slug="far-region", short_name="Другой регион"
    )
    far_muni = OrganizationFactory(
        kind=OrganizationKind.MUNICIPALITY, parent=far_region, slug="far-muni", short_name="Город В"
    )
    far_school = OrganizationFactory(parent=far_muni, slug="far-school", short_name="Школа В1")
    return Cast(
        region=region,
        muni=muni,
        school=school,
        school2=school2,
        other_muni=other_muni,
        other_school=other_school,
        curator=_member(school, Role.CURATOR, "curator@a1.test"),
        curator2=_member(school2, Role.CURATOR, "curator@a2.test"),
        viewer=_member(school, Role.SCHOOL_VIEWER, "viewer@a1.test"),
        methodist=_member(muni, Role.METHODIST, "methodist@a.test"),
        department=_member(muni, Role.DEPARTMENT, "department@a.test"),
        regional=_member(region, Role.REGIONAL, "regional@region.test"),
        other_methodist=_member(other_muni, Role.METHODIST, "methodist@b.test"),
        other_curator=_member(other_school, Role.CURATOR, "curator@b1.test"),
        far_region=far_region,
        far_muni=far_muni,
        far_school=far_school,
    )


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process in tests; the worker test switches this off for itself."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _temporary_files(settings, tmp_path_factory):
    """Every file a test writes (documents, uploads, pending imports) goes to a temporary
    directory, never to the developer's var/."""
    root = tmp_path_factory.mktemp("files")
    settings.VAR_DIR = root
    settings.MEDIA_ROOT = root / "media"
    settings.ROADMAP_IMPORT_DIR = root / "imports"
    settings.REGISTRY_IMPORT_DIR = root / "registry-imports"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Lockouts would make unrelated tests depend on each other's failed logins.
    settings.AXES_ENABLED = False
    # The real hasher costs ~0.3 s per user; the cast alone has a dozen.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Rate-limit counters live in the shared Redis for an hour: each test counts afresh.
    settings.RATELIMIT_NAMESPACE = f"test-{uuid.uuid4().hex}"


@pytest.fixture
def standard_forms():
    """Transactional tests run last and flush the tables, the migrated forms with them."""
    from registry.catalog import ensure_standard_forms
    from registry.models import MentoringForm

    ensure_standard_forms(MentoringForm)
