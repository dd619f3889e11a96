import pytest

from sommaire.catalog.models import Contact, Kind, Placement, Region, Resource, Section


def regional_resource(code: str, title: str) -> Resource:
    base = Resource.objects.order_by("pk").first()
    resource = Resource.objects.create(
        key=f"webinaire-ins-{code.lower()}",
        title=title,
        url=f"https://www.example-ars.fr/{code.lower()}/webinaire-ins",
        kind=Kind.objects.get(slug="webinaire"),
        format=base.format,
        publisher=base.publisher,
        region=Region.objects.get(code=code),
    )
    Placement.objects.create(resource=resource, section=Section.objects.get(slug="ins"), order=99)
    return resource


@pytest.fixture
def regional(segur):
    """A webinar of Occitanie and one of Bretagne, both in the INS section; a contact each."""
    occ = regional_resource("OCC", "Webinaire INS des établissements d’Occitanie")
    bre = regional_resource("BRE", "Webinaire INS des établissements de Bretagne")
    Contact.objects.create(
        region=occ.region,
        name="GRADeS e-santé Occitanie",
        role="Référent INS",
        email="ins@esante-occitanie.fr",
        phone="05 00 00 00 00",
    )
    Contact.objects.create(region=bre.region, name="GIP e-Bretagne", role="Référent Ségur")
    return {"OCC": occ, "BRE": bre}
