from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = "Портал наставничества"
    default_auto_field = "django.db.models.BigAutoField"
