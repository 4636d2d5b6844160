from django.apps import AppConfig


class RegistryConfig(AppConfig):
    verbose_name = "Реестр наставников и наставляемых"
    name = "registry"
    default_auto_field = "django.db.models.BigAutoField"
