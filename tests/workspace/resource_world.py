"""What the access table (test_access.py) needs for /gestion/ressources/: a resource of
Occitanie (Rémi's) and a national one, and the forms that post them."""

from sommaire.catalog.models import Format, Kind, Placement, Publisher, Region, Resource, Section

NO_PLACEMENT_CHANGE = {
    "placements-TOTAL_FORMS": "0",
    "placements-INITIAL_FORMS": "0",
    "placements-MIN_NUM_FORMS": "0",
    "placements-MAX_NUM_FORMS": "1000",
}


def resource_form(name: str, **changes) -> dict:
    """The form of the `world` resource `name` as posted, with `changes`."""
    fields = ("title", "url", "key", "kind_id", "format_id", "publisher_id")
    data = {field.removesuffix("_id"): f"{{{name}.{field}}}" for field in fields}
    region = "{occitanie.pk}" if name.startswith("occ") else ""
    data.update(
        region=region,
        status="active",
        expected_revision=f"{{{name}.revision}}",
        **NO_PLACEMENT_CHANGE,
    )
    data.update(changes)
    return data


NEW_RESOURCE = {
    "title": "Webinaire régional",
    "url": "https://occitanie.example.org/webinaire",
    "kind": "{kind.pk}",
    "format": "{format.pk}",
    "publisher": "{publisher.pk}",
    "status": "active",
    **NO_PLACEMENT_CHANGE,
}


def resource_world() -> dict:
    """A resource of Occitanie and a national one, each with a version to go back to."""
    occitanie, hopital = Region.objects.get(code="OCC"), Section.objects.get(slug="hopital")
    rows = {"occitanie": occitanie, "bretagne": Region.objects.get(code="BRE")}
    for name, region in (("occ_edited", occitanie), ("national_edited", None)):
        resource = Resource.objects.create(
            key=name.replace("_", "-"),
            title=f"Ressource {name}",
            url=f"https://example.org/{name}",
            kind=Kind.objects.get(slug="guide"),
            format=Format.objects.get(slug="page-web"),
            publisher=Publisher.objects.order_by("pk").first(),
            region=region,
        )
        Placement.objects.create(resource=resource, section=hopital, order=99)
        rows[f"{name}_version"] = resource.history.get()
        resource.title += " (revu)"
        resource.save()
        rows[name] = resource
    return rows
