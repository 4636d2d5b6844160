from django.db import migrations

# The forms named by the methodology and the seeds; schools may add their own.
STANDARD_FORMS = [
    ("student-student", "ученик – ученик"),
    ("teacher-teacher", "учитель – учитель"),
    ("teacher-student", "учитель – ученик"),
    ("college-student", "студент – ученик"),
    ("employer-student", "работодатель – ученик"),
    ("employer-college", "работодатель – студент"),
    ("teacher-student-sen", "учитель – ученик с ОВЗ"),
]


def add_forms(apps, schema_editor):
    MentoringForm = apps.get_model("registry", "MentoringForm")
    for ordering, (code, name) in enumerate(STANDARD_FORMS):
        MentoringForm.objects.update_or_create(
            code=code, defaults={"name": name, "ordering": ordering}
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(add_forms, migrations.RunPython.noop)]
