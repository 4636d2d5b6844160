from typing import Any

from django.apps import AppConfig


def upcoming_activities(tenant) -> dict[str, Any]:
    """The school home page: the curator's day starts with what is due. Only for those
    who read the school's duties (roadmaps.read_school_activities): the card is not shown
    to the others, and its queries are not run."""
    from roadmaps import access
    from roadmaps.selectors import school_activities

    if not access.READ_SCHOOL_ACTIVITIES.permits(tenant):
        return {}
    # Five nearest unfinished duties, and how many of the unfinished ones are overdue.
    pending = [a for a in school_activities(tenant.organization) if a.status != "done"]
    return {
        "upcoming": pending[:5],
        "overdue_count": sum(a.effective_status() == "overdue" for a in pending),
    }


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Дорожные карты"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mentorship import events
        from mentorship.calendar import register_calendar_source
        from mentorship.home import register_home_context
        from mentorship.signals import organization_created
        from mentorship.stored_files import delete_files_with_rows
        from mentorship.tenancy.rules import SCHOOL
        from roadmaps.models import Activity
        from roadmaps.selectors.calendar import SOURCE, deadlines_source
        from roadmaps.selectors.home import roadmaps_home_figures

        register_home_context(upcoming_activities, levels=(SCHOOL,))
        # Roadmap deadlines in the organisation's calendar (mentorship/calendar.py).
        register_calendar_source(SOURCE, deadlines_source)
        # Overdue duties, completion per school, roadmaps waiting for approval.
        register_home_context(roadmaps_home_figures, figures=True)
        # A deleted activity (or section, by cascade) takes its evidence scan along.
        delete_files_with_rows(Activity, "evidence_file")

        def cascade_to_new_school(sender, organization, **kwargs) -> None:
            from roadmaps.services.cascade import cascade_to_new_school

            cascade_to_new_school(organization)

        organization_created.connect(
            cascade_to_new_school, weak=False, dispatch_uid="roadmaps.cascade_new"
        )

        # A linked activity ticks itself when its event happens (services/autotick.py).
        from roadmaps.services.autotick import on_event

        events.subscribe(on_event)
