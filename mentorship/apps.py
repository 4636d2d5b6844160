from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = "Портал наставничества"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Celery workers autodiscover only `<app>.tasks`; Django runs ready() in every
        # process, so importing the render task here registers it everywhere.
        from mentorship import tasks  # noqa: F401  (the invitation letter)
        from mentorship.documents import tasks as document_tasks  # noqa: F401
