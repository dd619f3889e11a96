"""Who may write which dossier, and which resources a dossier may list.

National editors write national dossiers, regional editors those of their
regions, administrators all; an item is any active resource, national or of
the dossier's region. Every door asks `sommaire.editors.permissions`.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from sommaire.catalog.models import Resource
from sommaire.dossiers import services
from sommaire.dossiers.models import Dossier
from sommaire.dossiers.services import DossierInput, ItemInput
from tests.dossiers.factories import bretagne_webinar, compose, occitanie_webinar
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def edit(user, dossier: Dossier, **changes):
    data = DossierInput(
        slug=dossier.slug,
        title=dossier.title,
        region=dossier.region.code if dossier.region else None,
        status=dossier.status,
        items=[],
    )
    for name, value in changes.items():
        setattr(data, name, value)
    return services.save(user, dossier, data, dossier.revision)


@pytest.mark.parametrize(
    "who, region, allowed",
    [
        ("nadia", None, True),
        ("nadia", "OCC", False),
        ("remi", "OCC", True),
        ("remi", None, False),
        ("remi", "BRE", False),
        ("chloe", "BRE", True),
        ("administrator", "OCC", True),
        ("administrator", None, True),
    ],
)
def test_who_may_create_a_dossier_where(request, who, region, allowed):
    user = request.getfixturevalue(who)
    if allowed:
        dossier = compose(user, region=region, items=[])
        assert (dossier.region.code if dossier.region else None) == region
    else:
        with pytest.raises(PermissionDenied):
            compose(user, region=region, items=[])
        assert not Dossier.objects.exists()


def test_it_refuses_a_regional_editor_of_another_region(remi, chloe):
    dossier = compose(remi, region="OCC", items=[])
    with pytest.raises(PermissionDenied):
        edit(chloe, dossier, title="Pris")
    assert Dossier.objects.get().title == "Préparer sa demande SONS DUI"


def test_a_regional_editor_cannot_move_a_dossier_out_of_their_regions(remi):
    dossier = compose(remi, region="OCC", items=[])
    with pytest.raises(PermissionDenied):
        edit(remi, dossier, region="BRE")
    with pytest.raises(PermissionDenied):
        edit(remi, dossier, region=None)
    assert Dossier.objects.get().region.code == "OCC"


def test_a_dossier_lists_national_resources_and_those_of_its_region(remi):
    webinar = occitanie_webinar()
    items = [ItemInput(resource=webinar.key), ItemInput(resource="ms-dui-af-va1")]
    dossier = compose(remi, region="OCC", items=items)
    assert [i.resource for i in dossier.items_in_order()][0] == webinar


def test_it_refuses_a_resource_of_another_region(remi, nadia):
    webinar = bretagne_webinar()
    with pytest.raises(services.Invalid) as refused:
        compose(remi, region="OCC", items=[ItemInput(resource=webinar.key)])
    assert refused.value.errors == [
        (
            "items.0.resource",
            "« webinaire-ins-bre » appartient à la région Bretagne : un dossier de la région "
            "Occitanie ne cite que des ressources nationales ou de sa région",
        )
    ]
    with pytest.raises(services.Invalid):
        compose(nadia, items=[ItemInput(resource=webinar.key)])


def test_it_refuses_to_add_an_archived_resource_but_keeps_one_already_listed(nadia):
    Resource.objects.filter(key="hop-dpi-af-va1").update(status="archived")
    with pytest.raises(services.Invalid) as refused:
        compose(nadia, items=[ItemInput(resource="hop-dpi-af-va1")])
    assert "est archivée : choisissez sa nouvelle version" in refused.value.errors[0][1]
    dossier = compose(nadia)
    Resource.objects.filter(key="ms-dui-rem-va1").update(status="archived")
    kept = [ItemInput(resource="ms-dui-rem-va1", note="Toujours utile")]
    assert edit(nadia, dossier, items=kept).items.get().note == "Toujours utile"


def test_every_problem_is_said_at_once_and_nothing_is_stored(nadia):
    items = [ItemInput(), ItemInput(resource="inconnue"), ItemInput(resource="x", heading="y")]
    with pytest.raises(services.Invalid) as refused:
        compose(nadia, slug="Pas un identifiant", title=" ", items=items)
    assert [name for name, _ in refused.value.errors] == [
        "slug",
        "title",
        "items.0.resource",
        "items.1.resource",
        "items.2.heading",
    ]
    assert not Dossier.objects.exists()


def test_each_save_is_kept_in_the_history_under_the_editors_name(nadia):
    dossier = compose(nadia)
    edit(nadia, dossier, title="Deuxième titre")
    titles = [(h.title, h.history_user) for h in dossier.history.order_by("history_date")]
    assert titles == [("Préparer sa demande SONS DUI", nadia), ("Deuxième titre", nadia)]
    assert dossier.items.model.history.filter(history_type="-").count() == 3


@pytest.mark.parametrize("who, status", [("remi", 200), ("chloe", 403), ("nadia", 403)])
def test_the_edit_page_is_for_the_editors_of_the_dossiers_region(
    request, client, remi, who, status
):
    dossier = compose(remi, region="OCC", items=[])
    request.getfixturevalue(who)
    client.login(username=who, password=PASSWORD)
    assert client.get(dossier.get_edit_url()).status_code == status


def test_the_list_shows_the_dossiers_of_the_editors_scope_only(client, remi, chloe):
    compose(remi, "occ", region="OCC", items=[], title="Dossier d’Occitanie")
    compose(chloe, "bre", region="BRE", items=[], title="Dossier de Bretagne")
    client.login(username="chloe", password=PASSWORD)
    text = client.get("/gestion/dossiers/").content.decode()
    assert "Dossier de Bretagne" in text and "Dossier d’Occitanie" not in text


def test_a_reader_is_sent_to_sign_in_and_an_account_without_role_refused(client, segur):
    answer = client.get("/gestion/dossiers/")
    assert answer.status_code == 302 and answer["Location"].startswith("/gestion/connexion/")
    get_user_model().objects.create_user("lea", "lea@example.org", PASSWORD)
    client.login(username="lea", password=PASSWORD)
    assert client.get("/gestion/dossiers/nouveau/").status_code == 403


def test_the_history_page_shows_each_change_to_the_editors_of_the_scope(client, remi, chloe):
    dossier = compose(remi, region="OCC", items=[])
    edit(remi, dossier, title="Deuxième titre")
    history = f"/gestion/dossiers/{dossier.slug}/historique/"
    client.login(username="remi", password=PASSWORD)
    answer = client.get(history)
    assert answer.status_code == 200
    assert answer.content.decode().count("remi") >= 2
    client.login(username="chloe", password=PASSWORD)
    assert client.get(history).status_code == 403


@pytest.mark.parametrize("slug", ["nouveau", "dossier"])
def test_the_addresses_of_the_editors_screens_are_no_dossiers_slug(nadia, slug):
    with pytest.raises(services.Invalid) as refused:
        compose(nadia, slug, items=[])
    assert refused.value.errors == [
        ("slug", f"« {slug} » est réservé : choisissez un autre identifiant")
    ]
