from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sommaire.api"
    verbose_name = "API"
