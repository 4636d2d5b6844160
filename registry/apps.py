from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Реестр наставников и наставляемых"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from registry.services.consent import consent_withdrawn

        def suspend_pairs(sender, participant, actor, **kwargs) -> None:
            from registry.services.pairs import suspend_pairs_of

            suspend_pairs_of(participant, actor)

        consent_withdrawn.connect(suspend_pairs, weak=False, dispatch_uid="registry.suspend_pairs")
