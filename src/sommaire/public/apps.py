from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "sommaire.public"
    verbose_name = "Site public"
