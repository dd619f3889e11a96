"""A dossier change moves the catalog generation forward, as a catalog change does.

Region pages, the sitemap, the API's ETags and the dossier pages themselves
are cached under the generation: a dossier published, unlisted or edited
must reach them all at once.
"""

from django.db.models.signals import post_delete, post_save

from sommaire.catalog.models import CatalogState


def _bump(sender, **kwargs) -> None:
    if not kwargs.get("raw"):
        CatalogState.bump()


def connect() -> None:
    from sommaire.dossiers.models import Dossier, DossierItem

    for model in (Dossier, DossierItem):
        post_save.connect(_bump, sender=model, dispatch_uid=f"bump-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"bump-del-{model.__name__}")
