"""Dossiers built inline for the tests, and the catalog changes that concern them."""

from django.utils import timezone

from sommaire.catalog.models import CatalogEvent, Region, Resource
from sommaire.dossiers import services
from sommaire.dossiers.services import DossierInput, ItemInput
from tests.regions.conftest import regional_resource


def compose(user, slug="ehpad-sons-dui", region=None, items=None, **fields):
    """A dossier saved by `user` through the one door, services.save."""
    data = DossierInput(
        slug=slug,
        title=fields.pop("title", "Préparer sa demande SONS DUI"),
        audience=fields.pop("audience", "Pour un EHPAD qui prépare sa demande SONS DUI"),
        region=region,
        status=fields.pop("status", "published"),
        visibility=fields.pop("visibility", "listed"),
        items=items
        if items is not None
        else [
            ItemInput(heading="Financement"),
            ItemInput(resource="ms-dui-af-va1", note="Le texte de l’appel, à lire en premier."),
            ItemInput(resource="ms-dui-rem-va1"),
        ],
    )
    return services.save(user, None, data, **fields)


def new_version(old: Resource, title: str) -> Resource:
    """What accepting a candidate "new version" does: the successor, the old one archived."""
    now = timezone.now()
    new = Resource.objects.create(
        key=f"{old.key}-v2",
        title=title,
        url=old.url + "?v2",
        kind=old.kind,
        format=old.format,
        publisher=old.publisher,
        region=old.region,
        replaces=old,
    )
    Resource.objects.filter(pk=old.pk).update(status=Resource.Status.ARCHIVED, changed_at=now)
    CatalogEvent.record(CatalogEvent.Kind.REPLACED, new, previous=old)
    return new


def occitanie_webinar() -> Resource:
    return regional_resource("OCC", "Webinaire INS des établissements d’Occitanie")


def bretagne_webinar() -> Resource:
    return regional_resource("BRE", "Webinaire INS des établissements de Bretagne")


def region(code: str) -> Region:
    return Region.objects.get(code=code)
