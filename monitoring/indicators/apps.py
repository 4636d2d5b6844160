from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    # A separate app inside monitoring/: its own migrations, so that the questionnaires
    # and the indicators can be built side by side without clashing migration graphs.
    name = "monitoring.indicators"
    label = "indicators"
    verbose_name = "Показатели целевой модели"
    default_auto_field = "django.db.models.BigAutoField"
