from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "sommaire.dossiers"
    verbose_name = "Dossiers"

    def ready(self):
        from sommaire.dossiers import signals

        signals.connect()
