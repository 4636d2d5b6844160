from django.db import migrations

from registry.catalog import ensure_standard_forms


def add_forms(apps, schema_editor):
    ensure_standard_forms(apps.get_model("registry", "MentoringForm"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(add_forms, migrations.RunPython.noop)]
