from django.apps import AppConfig


class EditionConfig(AppConfig):
    name = "sommaire.edition"
    verbose_name = "Édition PDF"
