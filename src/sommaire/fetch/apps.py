from django.apps import AppConfig


class FetchConfig(AppConfig):
    name = "sommaire.fetch"
    verbose_name = "Client HTTP"

    def ready(self):
        from sommaire.fetch import checks  # noqa: F401  (registers the system checks)
