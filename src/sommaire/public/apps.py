from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PublicConfig(AppConfig):
    name = "sommaire.public"
    verbose_name = "Site public"

    def ready(self):
        from sommaire.public.cache import catalog_changed

        post_save.connect(catalog_changed, dispatch_uid="public-catalog-changed-save")
        post_delete.connect(catalog_changed, dispatch_uid="public-catalog-changed-delete")
