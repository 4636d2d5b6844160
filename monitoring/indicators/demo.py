"""The indicators' part of the demo: the contingents (denominators) the demo's schools and
municipality have entered for a year, so the dashboards show shares, not «нет знаменателя».

Run by load_demo through settings.DEMO_LOADERS; idempotent like the rest of it: saving a
contingent overwrites the year's row.
"""

from __future__ import annotations

from mentorship.models import Organization
from mentorship.tenancy.scoping import tenant_scope
from monitoring.indicators.services.inputs import contingent_fields, contingent_save


def load_contingents(data: dict) -> None:
    """`data["contingents"]`: {"year": YYYY, "by_org": {slug: {field: count}}}; fields the
    organisation's kind does not enter are ignored (a school has no enterprises)."""
    spec = data["contingents"]
    for slug, values in spec["by_org"].items():
        org = Organization.objects.get(slug=slug)
        allowed = {f.value for f in contingent_fields(org)}
        with tenant_scope(org):
            contingent_save(
                actor=None,
                organization=org,
                year=spec["year"],
                values={k: v for k, v in values.items() if k in allowed},
            )
