from django.apps import AppConfig


class WatchConfig(AppConfig):
    name = "sommaire.watch"
    verbose_name = "Veille des publications"
