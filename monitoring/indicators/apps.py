from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    # A separate app inside monitoring/: its own migrations, so that the questionnaires
    # and the indicators can be built side by side without clashing migration graphs.
    name = "monitoring.indicators"
    label = "indicators"
    verbose_name = "Показатели целевой модели"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from mentorship.home import register_home_context
        from mentorship.tenancy.rules import MUNICIPALITY, REGION
        from monitoring.indicators.selectors.oversight import oversight_home_figures

        # The region's comments waiting for the municipality's answer; at the region,
        # where each municipality's year stands (issue 17).
        register_home_context(oversight_home_figures, levels=(MUNICIPALITY, REGION), figures=True)
