from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "sommaire.catalog"
    verbose_name = "Catalogue"

    def ready(self):
        from sommaire.catalog import signals

        signals.connect()
