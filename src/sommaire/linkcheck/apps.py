from django.apps import AppConfig


class LinkcheckConfig(AppConfig):
    name = "sommaire.linkcheck"
    verbose_name = "Vérification des liens"
