from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Дорожные карты"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mentorship.signals import organization_created

        def cascade_to_new_school(sender, organization, **kwargs) -> None:
            from roadmaps.services.cascade import cascade_to_new_school

            cascade_to_new_school(organization)

        organization_created.connect(
            cascade_to_new_school, weak=False, dispatch_uid="roadmaps.cascade_new"
        )
