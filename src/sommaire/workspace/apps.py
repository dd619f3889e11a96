from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "sommaire.workspace"
    verbose_name = "Espace des éditeurs"
