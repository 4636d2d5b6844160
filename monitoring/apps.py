from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    verbose_name = "Мониторинг"
    name = "monitoring"
    default_auto_field = "django.db.models.BigAutoField"
