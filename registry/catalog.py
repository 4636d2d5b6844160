"""Reference data every installation starts with."""

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


def ensure_standard_forms(form_model) -> None:
    """Create the standard forms that are missing; takes the model so migrations can call it."""
    for ordering, (code, name) in enumerate(STANDARD_FORMS):
        form_model.objects.get_or_create(code=code, defaults={"name": name, "ordering": ordering})
