from importlib import import_module

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    verbose_name = "Мониторинг"
    name = "monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mentorship.home import register_home_context
        from mentorship.signals import organization_created
        from mentorship.stored_files import delete_files_with_rows
        from monitoring.models import PracticeFile
        from monitoring.selectors.home import monitoring_home_figures
        from monitoring.selectors.participant_page import waiting_questionnaires
        from registry.participant_page import register_participant_section
        from registry.services.consent import consent_withdrawn, participant_depersonalized

        # Register the Celery tasks in every process (the web's too): the services
        # schedule them by name, never importing the tasks module that calls them.
        import_module("monitoring.tasks")
        # Running campaigns and their response rate, at a school and in the tables above.
        register_home_context(monitoring_home_figures, figures=True)
        # A practice's materials leave the storage with their rows.
        delete_files_with_rows(PracticeFile, "file")
        # The questionnaires waiting for a participant, on their personal page.
        register_participant_section("monitoring.questionnaires", waiting_questionnaires)

        def stop_questionnaires(sender, participant, actor, **kwargs) -> None:
            # Inside the withdrawal's transaction: the links die with the consent.
            from monitoring.services.campaigns import invitations_revoke_for

            invitations_revoke_for(participant)

        consent_withdrawn.connect(
            stop_questionnaires, weak=False, dispatch_uid="monitoring.stop_questionnaires"
        )

        def join_running_campaigns(sender, organization, **kwargs) -> None:
            # After the new school's row is committed, like the roadmaps' cascade.
            from monitoring.services.campaigns import campaigns_join_new_school

            campaigns_join_new_school(organization)

        organization_created.connect(
            join_running_campaigns, weak=False, dispatch_uid="monitoring.join_new_school"
        )

        def forget_free_text(sender, participant, **kwargs) -> None:
            from monitoring.services.campaigns import answers_forget_free_text

            answers_forget_free_text(participant)

        participant_depersonalized.connect(
            forget_free_text, weak=False, dispatch_uid="monitoring.forget_free_text"
        )
