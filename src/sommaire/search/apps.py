from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "sommaire.search"
    verbose_name = "Recherche"

    def ready(self):
        from sommaire.search import index

        index.connect()
