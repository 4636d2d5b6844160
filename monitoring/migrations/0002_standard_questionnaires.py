from django.db import migrations


def add_standard(apps, schema_editor):
    from monitoring.standard import ensure_standard_questionnaires

    ensure_standard_questionnaires(
        apps.get_model("monitoring", "Questionnaire"),
        apps.get_model("monitoring", "Section"),
        apps.get_model("monitoring", "Question"),
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(add_standard, migrations.RunPython.noop)]
