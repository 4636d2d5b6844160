from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    verbose_name = "Мониторинг"
    name = "monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from registry.services.consent import consent_withdrawn

        def stop_questionnaires(sender, participant, actor, **kwargs) -> None:
            # Inside the withdrawal's transaction: the links die with the consent.
            from monitoring.services.campaigns import invitations_revoke_for

            invitations_revoke_for(participant)

        consent_withdrawn.connect(
            stop_questionnaires, weak=False, dispatch_uid="monitoring.stop_questionnaires"
        )
