"""Any write to a catalog table moves the catalog generation forward."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from sommaire.catalog import models

WATCHED = (
    models.Kind,
    models.Format,
    models.SoftwareProfile,
    models.Wave,
    models.Publisher,
    models.Region,
    models.Section,
    models.Resource,
    models.Placement,
    models.GlossaryTerm,
    models.Contact,
    models.Deadline,
    models.PackInfo,
)


def _bump(sender, **kwargs) -> None:
    if kwargs.get("raw") or kwargs.get("action", "post_").startswith("pre_"):
        return
    models.CatalogState.bump()


def connect() -> None:
    for model in WATCHED:
        post_save.connect(_bump, sender=model, dispatch_uid=f"bump-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"bump-del-{model.__name__}")
    # The sections a national contact answers for change pages without saving the contact.
    m2m_changed.connect(_bump, sender=models.Contact.sections.through, dispatch_uid="bump-m2m")
