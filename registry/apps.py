from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Реестр наставников и наставляемых"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """What a withdrawn consent sets in motion inside the registry, wired in one place:
        the person's pairs are suspended in the withdrawal's transaction, and the school's
        curators are told by mail once it commits."""
        from mentorship.home import register_home_context
        from mentorship.stored_files import delete_files_with_rows
        from registry.models import Consent
        from registry.selectors.home import registry_home_figures
        from registry.services.consent import consent_withdrawn

        # Consents, pairs and the first steps of a school; counts per school above it.
        register_home_context(registry_home_figures, figures=True)
        # A deleted consent (or person, by cascade) takes its signed scan along.
        delete_files_with_rows(Consent, "scan")
        # Group meetings in the calendars, once the calendar's registry is there (it comes
        # with issue 15's calendar, built on another branch).
        if find_spec("mentorship.calendar") is not None:
            from registry.selectors.group_meetings import CALENDAR_SOURCE, group_meetings_source

            calendar = import_module("mentorship.calendar")
            calendar.register_calendar_source(CALENDAR_SOURCE, group_meetings_source)

        def suspend_pairs(sender, participant, actor, **kwargs) -> None:
            from registry.services.pairs import suspend_pairs_of

            suspend_pairs_of(participant, actor)

        def notify_curators(sender, participant, actor, **kwargs) -> None:
            from django.db import transaction

            from registry.tasks import notify_consent_withdrawn

            participant_id, organization_id = participant.pk, participant.organization_id
            transaction.on_commit(
                lambda: notify_consent_withdrawn.delay(organization_id, participant_id)
            )

        consent_withdrawn.connect(suspend_pairs, weak=False, dispatch_uid="registry.suspend_pairs")
        consent_withdrawn.connect(
            notify_curators, weak=False, dispatch_uid="registry.notify_curators"
        )
