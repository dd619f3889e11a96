from django.apps import AppConfig


class EditorsConfig(AppConfig):
    name = "sommaire.editors"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from sommaire.editors import lockout  # noqa: F401 - connects the sign-in receivers
