from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class EditorsConfig(AppConfig):
    name = "sommaire.editors"
    verbose_name = "Comptes et rôles"

    def ready(self):
        from sommaire.editors import lockout  # noqa: F401 - connects the sign-in receivers


class AdministratorsAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the site reserved to administrators."""

    default = False

    default_site = "sommaire.editors.admin_site.AdministratorsSite"
