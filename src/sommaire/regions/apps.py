from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "sommaire.regions"
    verbose_name = "Régions"
