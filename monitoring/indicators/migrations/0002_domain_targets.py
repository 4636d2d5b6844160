"""The target model's indicators (DOMAIN.md, the St Petersburg seed) as global defaults.

Copied here rather than imported, so the migration keeps meaning what it meant when it
was written; `monitoring.indicators.definitions.DOMAIN_TARGETS` holds the same table.
"""

from decimal import Decimal

from django.db import migrations

TARGETS = {
    "municipalities": {2020: 100, 2021: 100, 2022: 100, 2023: 100, 2024: 100},
    "college_students": {2020: 5, 2021: 10, 2022: 30, 2023: 50, 2024: 70},
    "pupil_mentees": {2020: 10, 2021: 25, 2022: 40, 2023: 50, 2024: 70},
    "pupil_mentors": {2020: 5, 2021: 6, 2022: 7, 2023: 8, 2024: 10},
    "young_specialists": {2020: 15, 2021: 25, 2022: 35, 2023: 50, 2024: 85},
    "enterprises": {2020: 2, 2021: 3, 2022: 10, 2023: 20, 2024: 30},
    "mentee_satisfaction": {2024: 85},
    "mentor_satisfaction": {2024: 70},
}


def forwards(apps, schema_editor):
    Target = apps.get_model("indicators", "Target")
    for indicator, by_year in TARGETS.items():
        for year, percent in by_year.items():
            Target.objects.update_or_create(
                organization=None,
                indicator=indicator,
                year=year,
                defaults={"percent": Decimal(percent)},
            )


def backwards(apps, schema_editor):
    apps.get_model("indicators", "Target").objects.filter(organization=None).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
