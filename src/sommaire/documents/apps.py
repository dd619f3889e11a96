from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "sommaire.documents"
    verbose_name = "Documents"
