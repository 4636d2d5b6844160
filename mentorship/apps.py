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
        from mentorship.documents.selectors import documents_home_figures
        from mentorship.home import register_home_context
        from mentorship.selectors.home import core_home_figures
        from mentorship.tenancy.rules import MUNICIPALITY, REGION

        # The curator and last-activity columns, the latest documents (mentorship/home.py).
        register_home_context(core_home_figures, levels=(MUNICIPALITY, REGION), figures=True)
        register_home_context(documents_home_figures, levels=(MUNICIPALITY,), figures=True)
