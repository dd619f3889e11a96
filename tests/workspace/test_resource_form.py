"""/gestion/ressources/nouvelle/ and /gestion/ressources/<key>/: adding and changing a
resource, with its placements, within the person's scope only."""

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from sommaire.catalog.models import CatalogEvent, Kind, Placement, Region, Resource, Section
from tests.workspace.browser_form import posted
from tests.workspace.conftest import signed_in

NEW = "/gestion/ressources/nouvelle/"
DPI = "Dossier Patient Informatisé (DPI)"
TITLE = "Webinaire DPI des établissements d’Occitanie"
ADDRESS = "https://www.esante-occitanie.fr/webinaire-dpi"


def edit_url(resource) -> str:
    return f"/gestion/ressources/{resource.key}/"


def opened(client, address: str, params=None) -> str:
    response = client.get(address, params or {})
    assert response.status_code == 200
    return response.content.decode()


def new_resource(client, **changes) -> dict:
    """The form opened by "Ajouter une ressource pour ma région ici" under Hôpital › DPI."""
    page = opened(client, NEW, {"section": "hopital", "group": DPI})
    values = {
        "title": TITLE,
        "url": ADDRESS,
        "kind": Kind.objects.get(slug="webinaire").pk,
        "format": _pk("format", "page-web"),
        "publisher": _pk("publisher", "ans"),
    }
    return posted(page, **{**values, **changes})


def _pk(model: str, slug: str) -> int:
    from django.apps import apps

    return apps.get_model("catalog", model).objects.get(slug=slug).pk


def test_add_here_opens_the_form_with_that_section_and_group(remi):
    html = HTMLParser(opened(signed_in(remi), NEW, {"section": "hopital", "group": DPI}))

    section = html.css_first("#id_placements-0-section option[selected]")
    assert section.text() == "Documentation par cible › Hôpital"
    assert html.css_first("#id_placements-0-group").attributes["value"] == DPI
    suggested = [o.attributes["value"] for o in html.css("#groupes-connus option")]
    assert DPI in suggested and "Pour bien démarrer" in suggested  # the groups of Hôpital
    assert len(suggested) == len(set(suggested))
    regions = [o.text() for o in html.css("#id_region option")]
    assert regions == ["Occitanie"]  # no "national" choice, no other region


def test_a_regional_editor_adds_a_resource_of_their_region_at_the_end_of_the_group(remi):
    client = signed_in(remi)
    last = Placement.objects.filter(section__slug="hopital").order_by("-order").first()

    response = client.post(NEW, new_resource(client))

    resource = Resource.objects.get(title=TITLE)
    assert response.status_code == 302
    assert response["Location"] == edit_url(resource)
    assert resource.region.code == "OCC"
    assert resource.key == "webinaire-dpi-des-etablissements-doccitanie"  # from the title
    (placement,) = resource.placements.all()
    assert (placement.section.slug, placement.group) == ("hopital", DPI)
    assert placement.order == last.order + 1
    assert resource.history.first().history_user == remi
    assert CatalogEvent.objects.filter(resource=resource, kind="added").exists()


def test_a_regional_editor_cannot_add_a_national_resource_or_one_of_another_region(remi):
    client = signed_in(remi)
    for region in ("", Region.objects.get(code="BRE").pk):
        response = client.post(NEW, new_resource(client, region=region))

        assert response.status_code == 200
        assert not Resource.objects.filter(title=TITLE).exists()
        html = HTMLParser(response.content.decode())
        assert html.css_first("#id_region-erreur") is not None
        assert html.css_first("#id_title").attributes["value"] == TITLE  # nothing lost


def test_a_national_editor_adds_a_national_resource_but_no_regional_one(nadia):
    client = signed_in(nadia)
    refused = client.post(NEW, new_resource(client, region=Region.objects.get(code="OCC").pk))
    assert refused.status_code == 200
    assert not Resource.objects.filter(title=TITLE).exists()

    client.post(NEW, new_resource(client, region=""))
    assert Resource.objects.get(title=TITLE).region is None


def test_a_wrong_address_is_refused_in_french_and_the_input_kept(remi):
    client = signed_in(remi)

    response = client.post(NEW, new_resource(client, url="javascript:alert(1)"))

    assert response.status_code == 200
    html = HTMLParser(response.content.decode())
    assert html.css_first("#id_url-erreur").text().strip()
    assert "Rien n’a été enregistré" in html.css_first("#erreurs-formulaire").text()
    assert [a.attributes["href"] for a in html.css("#erreurs-formulaire a")] == ["#id_url"]
    assert html.css_first("#id_url").attributes["value"] == "javascript:alert(1)"


def test_a_section_chosen_twice_is_refused(remi):
    client = signed_in(remi)
    data = new_resource(client)
    twice = {"placements-TOTAL_FORMS": "2", "placements-1-section": data["placements-0-section"]}
    data.update(twice)

    response = client.post(NEW, data)

    assert response.status_code == 200
    assert "choisie deux fois" in response.content.decode()
    assert not Resource.objects.filter(title=TITLE).exists()


def test_the_glossary_is_no_place_for_a_resource(remi):
    html = HTMLParser(opened(signed_in(remi), NEW))

    sections = [o.text() for o in html.css("#id_placements-0-section option")]
    assert "Hôpital" in " ".join(sections)
    assert not any(Section.objects.get(is_glossary=True).title == s for s in sections)


def test_a_regional_editor_changes_their_resource_and_its_placements(remi, occitan_resource):
    client = signed_in(remi)
    page = opened(client, edit_url(occitan_resource))
    hopital = Section.objects.get(slug="hopital")

    response = client.post(
        edit_url(occitan_resource),
        posted(
            page,
            title="Titre revu",
            **{
                "placements-0-DELETE": "on",
                "placements-1-section": hopital.pk,
                "placements-1-group": DPI,
            },
        ),
    )

    assert response.status_code == 302
    stored = Resource.objects.get(pk=occitan_resource.pk)
    assert stored.title == "Titre revu"
    assert stored.changed_at > occitan_resource.changed_at
    assert [(p.section.slug, p.group) for p in stored.placements.all()] == [("hopital", DPI)]


def test_another_regions_resource_opens_read_only_and_refuses_a_post(chloe, remi, occitan_resource):
    client = signed_in(chloe)
    html = HTMLParser(opened(client, edit_url(occitan_resource)))

    assert "lecture seule" in html.css_first("#lecture-seule").text()
    assert "disabled" in html.css_first("#id_title").attributes
    assert html.css_first("button[name=save]") is None

    data = posted(opened(signed_in(remi), edit_url(occitan_resource)), title="Titre de Chloé")
    response = client.post(edit_url(occitan_resource), data)
    assert response.status_code == 403
    assert Resource.objects.get(pk=occitan_resource.pk).title == occitan_resource.title


def test_a_regional_editor_cannot_move_their_resource_to_another_region(remi, occitan_resource):
    client = signed_in(remi)
    data = posted(opened(client, edit_url(occitan_resource)))

    response = client.post(
        edit_url(occitan_resource), {**data, "region": Region.objects.get(code="BRE").pk}
    )

    assert response.status_code == 200
    assert Resource.objects.get(pk=occitan_resource.pk).region.code == "OCC"


def test_archiving_a_resource_is_news_for_readers(remi, occitan_resource):
    client = signed_in(remi)
    data = posted(opened(client, edit_url(occitan_resource)), status="archived")

    client.post(edit_url(occitan_resource), data)

    assert CatalogEvent.objects.filter(resource=occitan_resource, kind="archived").exists()


def test_an_unknown_resource_is_a_404(remi):
    assert signed_in(remi).get("/gestion/ressources/nulle-part/").status_code == 404


def test_a_placement_of_another_resource_cannot_be_removed_through_mine(remi, occitan_resource):
    """Each placement touched is checked too: only the resource's own are in its form."""
    client = signed_in(remi)
    national = Placement.objects.filter(resource__region=None).first()
    data = posted(opened(client, edit_url(occitan_resource)))
    data.update({"placements-0-id": national.pk, "placements-0-DELETE": "on"})

    client.post(edit_url(occitan_resource), data)

    assert Placement.objects.filter(pk=national.pk).exists()
    assert Placement.objects.get(pk=national.pk).resource.region is None
