from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Реестр наставников и наставляемых"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """What a withdrawn consent sets in motion inside the registry, wired in one place:
        the person's pairs are suspended in the withdrawal's transaction, and the school's
        curators are told by mail once it commits."""
        from mentorship.calendar import register_calendar_source
        from mentorship.home import register_home_context
        from mentorship.stored_files import delete_files_with_rows
        from registry.models import Consent
        from registry.selectors.group_meetings import CALENDAR_SOURCE, group_meetings_source
        from registry.selectors.home import registry_home_figures
        from registry.selectors.schedule import SOURCE, meetings_source
        from registry.services.consent import consent_withdrawn
        from registry.services.pairs import pairs_approved
        from registry.services.schedule import meeting_changed

        # Consents, pairs and the first steps of a school; counts per school above it.
        register_home_context(registry_home_figures, figures=True)
        # Planned pair meetings in the organisation's and the people's calendars.
        register_calendar_source(SOURCE, meetings_source)
        # A deleted consent (or person, by cascade) takes its signed scan along.
        delete_files_with_rows(Consent, "scan")
        # Group meetings in the calendars too.
        register_calendar_source(CALENDAR_SOURCE, group_meetings_source)
        # Sessions of the school of mentors and meetings of the mentors' councils.
        from registry.selectors.calendar_sources import (
            COUNCIL_SOURCE,
            COURSE_SOURCE,
            council_meetings_source,
            course_sessions_source,
        )

        register_calendar_source(COURSE_SOURCE, course_sessions_source)
        register_calendar_source(COUNCIL_SOURCE, council_meetings_source)

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

        def revoke_links(sender, participant, actor, **kwargs) -> None:
            from registry.services.links import personal_links_revoke

            personal_links_revoke(actor=actor, participant=participant, reason="consent_withdrawn")

        consent_withdrawn.connect(revoke_links, weak=False, dispatch_uid="registry.revoke_links")

        # Letters to participants, after commit (registry/tasks.py → services/letters.py).
        def mail_meeting_change(sender, meeting, change, **kwargs) -> None:
            from django.db import transaction

            from registry.tasks import send_meeting_letters

            organization_id, meeting_id = meeting.organization_id, meeting.pk
            transaction.on_commit(
                lambda: send_meeting_letters.delay(organization_id, meeting_id, change)
            )

        def mail_pairs_approved(sender, pair_ids, organization_id, **kwargs) -> None:
            from django.db import transaction

            from registry.tasks import send_pair_approved_letters

            ids = list(pair_ids)
            transaction.on_commit(lambda: send_pair_approved_letters.delay(organization_id, ids))

        meeting_changed.connect(
            mail_meeting_change, weak=False, dispatch_uid="registry.mail_meeting_change"
        )
        pairs_approved.connect(
            mail_pairs_approved, weak=False, dispatch_uid="registry.mail_pairs_approved"
        )
