"""Pairs get the school's own numbers (1, 2, 3… per school), existing ones in the order
they were created, and the per-school row that numbering locks."""

import django.db.models.deletion
from django.db import migrations, models


def number_existing_pairs(apps, schema_editor):
    Pair = apps.get_model("registry", "Pair")
    PairSequence = apps.get_model("registry", "PairSequence")
    last: dict[int, int] = {}
    rows = Pair._base_manager.order_by("organization_id", "created_at", "pk").values_list(
        "pk", "organization_id"
    )
    for pk, organization_id in rows.iterator():
        last[organization_id] = last.get(organization_id, 0) + 1
        Pair._base_manager.filter(pk=pk).update(number=last[organization_id])
    PairSequence._base_manager.bulk_create(
        [PairSequence(organization_id=org, last_number=n) for org, n in last.items()]
    )


class Migration(migrations.Migration):

    dependencies = [
        ("mentorship", "0005_one_unfinished_document"),
        ("registry", "0007_consent_giver_contact_and_on_paper"),
    ]

    operations = [
        migrations.CreateModel(
            name="PairSequence",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("last_number", models.PositiveIntegerField(default=0)),
                ("organization", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="mentorship.organization")),
            ],
        ),
        migrations.AddField(
            model_name="pair",
            name="number",
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name="№"),
        ),
        migrations.RunPython(number_existing_pairs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="pair",
            name="number",
            field=models.PositiveIntegerField(editable=False, verbose_name="№"),
        ),
        migrations.AddConstraint(
            model_name="pair",
            constraint=models.UniqueConstraint(fields=("organization", "number"), name="unique_pair_number_per_school", violation_error_message="Пара с таким номером в школе уже есть: обновите страницу."),
        ),
    ]
