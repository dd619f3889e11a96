"""/gestion/dossiers/nouveau/ and /gestion/dossiers/<slug>/: composing a dossier
without JavaScript. Each button posts the whole form; only "Enregistrer" stores."""

import re

import pytest

from sommaire.dossiers.models import Dossier
from tests.dossiers.factories import bretagne_webinar, compose
from tests.personas import PASSWORD
from tests.public.html import parse

pytestmark = pytest.mark.django_db
NEW = "/gestion/dossiers/nouveau/"


@pytest.fixture
def as_nadia(client, nadia):
    client.login(username="nadia", password=PASSWORD)
    return client


def fields(**values) -> dict:
    return {
        "title": "Préparer sa demande SONS DUI",
        "slug": "ehpad-sons-dui",
        "audience": "Pour un EHPAD",
        "region": "",
        "status": "published",
        "visibility": "listed",
        "items-TOTAL": "0",
        **values,
    }


def rows(*items) -> dict:
    """items-TOTAL and items-<n>-… for ("resource", key) or ("heading", text)."""
    data = {"items-TOTAL": str(len(items))}
    for n, (kind, value) in enumerate(items):
        data[f"items-{n}-kind"] = kind
        data[f"items-{n}-{'heading' if kind == 'heading' else 'resource'}"] = value
    return data


def press(client, action: str, data: dict, path: str = NEW):
    answer = client.post(path, {**data, "action": action})
    assert answer.status_code == 200
    return parse(answer.content)


def dossier_form(document):
    """The dossier's form (the workspace's header has a sign-out form too)."""
    (form,) = [
        f for f in document.find_all("form", method="post") if f.find_all(name="items-TOTAL")
    ]
    return form


def shown_rows(document) -> list[str]:
    form = dossier_form(document)
    return [
        (i.get("value") or "")
        for i in form.find_all("input")
        if re.fullmatch(r"items-\d+-(resource|heading)", i.get("name", ""))
    ]


def test_a_resource_key_typed_in_the_search_is_added_at_once(as_nadia):
    document = press(as_nadia, "search", {**fields(), "add-query": "ms-dui-af-va1"})
    assert shown_rows(document) == ["ms-dui-af-va1"]
    assert "ajouté à la fin du dossier" in document.find(class_="fr-alert--info").text()
    assert not Dossier.objects.exists()


def test_words_list_the_resources_to_choose_from_each_with_its_button(as_nadia):
    document = press(as_nadia, "search", {**fields(), "add-query": "appel financement DUI"})
    buttons = document.find("ul", class_="sommaire-dossier-found").find_all("button")
    assert "add:ms-dui-af-va1" in [b.get("value") for b in buttons]
    chosen = press(as_nadia, "add:ms-dui-af-va1", fields())
    assert shown_rows(chosen) == ["ms-dui-af-va1"]


def test_the_search_never_offers_another_regions_resource(client, remi):
    bretagne_webinar()
    client.login(username="remi", password=PASSWORD)
    document = press(
        client, "search", {**fields(region="OCC"), "add-query": "webinaire INS Bretagne"}
    )
    assert "webinaire-ins-bre" not in dossier_form(document).text()


def test_items_move_up_and_down_and_go_away_with_their_buttons(as_nadia):
    data = {**fields(), **rows(("heading", "Financement"), ("resource", "ms-dui-af-va1"))}
    data["items-1-note"] = "À lire en premier"
    moved = press(as_nadia, "up:1", data)
    assert shown_rows(moved) == ["ms-dui-af-va1", "Financement"]
    assert moved.find("textarea", name="items-0-note").text() == "À lire en premier"
    down = press(as_nadia, "down:0", data)
    assert shown_rows(down) == ["ms-dui-af-va1", "Financement"]
    assert not down.find_all("button", value="up:0")  # the first item cannot go up
    removed = press(as_nadia, "remove:0", data)
    assert shown_rows(removed) == ["ms-dui-af-va1"]


def test_a_heading_is_added_from_its_field(as_nadia):
    document = press(as_nadia, "heading", {**fields(), "add-heading": "Financement"})
    assert shown_rows(document) == ["Financement"]


def test_saving_stores_the_dossier_and_its_items_in_order(as_nadia, nadia):
    data = {**fields(), **rows(("heading", "Financement"), ("resource", "ms-dui-af-va1"))}
    answer = as_nadia.post(NEW, {**data, "items-1-note": "À lire", "action": "save"})
    assert answer.status_code == 302
    dossier = Dossier.objects.get()
    assert answer["Location"] == dossier.get_edit_url()
    assert dossier.owner == nadia
    assert [
        (i.heading, i.resource and i.resource.key, i.note) for i in dossier.items_in_order()
    ] == [
        ("Financement", None, ""),
        ("", "ms-dui-af-va1", "À lire"),
    ]
    assert "enregistré" in as_nadia.get(answer["Location"]).content.decode()


def test_a_bad_item_is_said_beside_it_and_nothing_typed_is_lost(as_nadia):
    data = {
        **fields(title="Mon titre"),
        **rows(("resource", "nulle-part"), ("resource", "ms-dui-af-va1")),
    }
    document = press(as_nadia, "save", data)
    assert document.by_id("element-0-erreur").text() == "aucune ressource n’a la clé « nulle-part »"
    assert shown_rows(document) == ["nulle-part", "ms-dui-af-va1"]
    assert document.find("input", name="title").get("value") == "Mon titre"
    assert not Dossier.objects.exists()


def test_a_taken_slug_is_a_field_error(as_nadia, nadia):
    compose(nadia)
    document = press(as_nadia, "save", fields())
    assert (
        document.by_id("id_slug-erreur").text()
        == "cet identifiant est déjà celui d’un autre dossier"
    )


def test_a_regional_editor_is_offered_their_regions_only(client, remi):
    client.login(username="remi", password=PASSWORD)
    document = parse(client.get(NEW).content)
    options = [o.get("value") for o in document.find("select", name="region").find_all("option")]
    assert options == ["OCC"]


def test_two_editors_cannot_overwrite_each_other_unknowingly(as_nadia, nadia):
    dossier = compose(nadia)
    opened = fields(slug=dossier.slug, revision=str(dossier.revision), title="Mon titre")
    dossier.title = "Titre d’Agnès"
    dossier.save()
    document = press(as_nadia, "save", opened, dossier.get_edit_url())
    assert "modifié entre-temps" in document.find(class_="fr-alert--warning").text()
    assert Dossier.objects.get().title == "Titre d’Agnès"
    assert document.find("input", name="title").get("value") == "Mon titre"


def test_enter_in_the_search_field_looks_up_rather_than_saves(as_nadia):
    document = press(as_nadia, "default", {**fields(), "add-query": "ms-dui-af-va1"})
    assert shown_rows(document) == ["ms-dui-af-va1"]
    assert not Dossier.objects.exists()
    assert as_nadia.post(NEW, {**fields(), "action": "default"}).status_code == 302
