"""A resource's history in the workspace: each change with who, when and a diff, its
placements, and going back to a version (placements included), in scope only."""

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from sommaire.catalog.models import Resource, Section
from tests.workspace.browser_form import posted
from tests.workspace.conftest import signed_in


def edit_url(resource) -> str:
    return f"/gestion/ressources/{resource.key}/"


def history_url(resource) -> str:
    return f"/gestion/ressources/{resource.key}/historique/"


def save(client, resource, **changes):
    page = client.get(edit_url(resource)).content.decode()
    response = client.post(edit_url(resource), posted(page, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]


def test_each_change_shows_who_when_and_what(remi, occitan_resource):
    client = signed_in(remi)
    save(client, occitan_resource, title="Titre revu")

    html = HTMLParser(client.get(history_url(occitan_resource)).content.decode())

    newest = html.css_first(".workspace-history__item")
    assert "par Rémi" in newest.text()
    changes = {li.css_first("strong").text(): li for li in newest.css(".workspace-diff li")}
    assert set(changes) == {"Titre", "Modifiée le"}
    change = changes["Titre"]
    assert change.css_first("del").text().endswith(occitan_resource.title)
    assert change.css_first("ins").text().endswith("Titre revu")


def test_placement_changes_are_listed(remi, occitan_resource):
    client = signed_in(remi)
    hopital = Section.objects.get(slug="hopital")
    save(client, occitan_resource, **{"placements-1-section": hopital.pk})

    html = HTMLParser(client.get(history_url(occitan_resource)).content.decode())

    rows = [row.text() for row in html.css(".workspace-placement-changes li")]
    assert any("Hôpital" in row and "ajouté" in row and "Rémi" in row for row in rows)


def test_going_back_to_a_version_restores_its_fields_and_placements(remi, occitan_resource):
    client = signed_in(remi)
    before = occitan_resource.history.first()
    hopital = Section.objects.get(slug="hopital")
    save(client, occitan_resource, title="Titre revu", **{"placements-1-section": hopital.pk})
    version = f"{history_url(occitan_resource)}{before.history_id}/"

    page = client.get(version).content.decode()
    html = HTMLParser(page)
    assert html.css_first("#id_title").attributes["value"] == occitan_resource.title
    assert "Hôpital" in html.css_first("#emplacements").parent.text()  # will be removed
    response = client.post(version, posted(page))

    assert response.status_code == 302
    stored = Resource.objects.get(pk=occitan_resource.pk)
    assert stored.title == occitan_resource.title
    assert [p.section.slug for p in stored.placements.all()] == ["ins"]
    assert stored.history.first().history_change_reason.startswith("retour à la version du")


def test_anyone_reads_the_history_but_only_the_scope_goes_back(chloe, remi, occitan_resource):
    save(signed_in(remi), occitan_resource, title="Titre revu")
    before = occitan_resource.history.last()
    version = f"{history_url(occitan_resource)}{before.history_id}/"
    client = signed_in(chloe)

    assert client.get(history_url(occitan_resource)).status_code == 200
    page = client.get(version)
    assert page.status_code == 200
    assert HTMLParser(page.content.decode()).css_first("button[name=save]") is None
    data = posted(signed_in(remi).get(version).content.decode())
    assert client.post(version, data).status_code == 403
    assert Resource.objects.get(pk=occitan_resource.pk).title == "Titre revu"


def test_going_back_to_a_version_of_another_region_is_refused(remi, occitan_resource):
    """The resource as it will be: its national version is not Rémi's to restore."""
    national = occitan_resource.history.filter(region=None).first()
    version = f"{history_url(occitan_resource)}{national.history_id}/"
    client = signed_in(remi)

    page = client.get(version).content.decode()
    assert "hors de votre périmètre" in HTMLParser(page).css_first("#region-hors-perimetre").text()
    response = client.post(version, posted(page, region=""))

    assert response.status_code == 200
    assert HTMLParser(response.content.decode()).css_first("#id_region-erreur") is not None
    assert Resource.objects.get(pk=occitan_resource.pk).region.code == "OCC"


def test_an_unknown_version_is_a_404(remi, occitan_resource):
    response = signed_in(remi).get(f"{history_url(occitan_resource)}999999/")

    assert response.status_code == 404
