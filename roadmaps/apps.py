from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    verbose_name = "Дорожные карты"
    name = "roadmaps"
    default_auto_field = "django.db.models.BigAutoField"
