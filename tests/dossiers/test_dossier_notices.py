"""A dossier stays true: a replaced, archived or broken document is said to readers,
and to the dossier's owner (workspace list, `notices_for_editor`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sommaire.catalog.models import Resource
from sommaire.dossiers.services import notices_for_editor
from sommaire.linkcheck.models import Link
from tests.dossiers.factories import compose, new_version
from tests.personas import PASSWORD
from tests.public.html import page

pytestmark = pytest.mark.django_db


def broken(resource: Resource) -> Link:
    """A link that failed two checks a day apart: confirmed broken."""
    now = timezone.now()
    return Link.objects.create(
        url=resource.url,
        status="broken",
        http_status=404,
        consecutive_failures=2,
        first_failure_at=now - timedelta(days=2),
        last_checked_at=now,
    )


def test_the_page_points_readers_to_the_new_version(client, nadia):
    dossier = compose(nadia)
    new = new_version(Resource.objects.get(key="ms-dui-rem-va1"), "REM DUI, vague 2")
    document = page(client, dossier.get_absolute_url())
    (notice,) = document.find_all(class_="sommaire-dossier-notice")
    assert notice.text() == "Une nouvelle version existe : REM DUI, vague 2"
    assert notice.find("a").get("href") == new.get_absolute_url()


def test_the_newest_version_is_named_after_two_replacements(client, nadia):
    dossier = compose(nadia)
    second = new_version(Resource.objects.get(key="ms-dui-rem-va1"), "REM DUI, vague 2")
    new_version(second, "REM DUI, vague 3")
    (notice,) = notices_for_editor(nadia)
    assert notice.successor.title == "REM DUI, vague 3"
    assert (
        "vague 3"
        in page(client, dossier.get_absolute_url()).find(class_="sommaire-dossier-notice").text()
    )


def test_an_archived_document_without_successor_is_said_withdrawn(client, nadia):
    dossier = compose(nadia)
    Resource.objects.filter(key="ms-dui-rem-va1").update(status="archived")
    document = page(client, dossier.get_absolute_url())
    assert (
        document.find(class_="sommaire-dossier-notice")
        .text()
        .startswith("Ce document a été retiré du catalogue")
    )
    assert [n.kind for n in notices_for_editor(nadia)] == ["archived"]


def test_a_confirmed_broken_link_reaches_the_owner_and_the_reader(client, nadia):
    dossier = compose(nadia)
    broken(Resource.objects.get(key="ms-dui-af-va1"))
    (notice,) = notices_for_editor(nadia)
    assert notice.kind == "broken"
    # The link state under the resource, as on every listing (public/includes/resource.html).
    assert "signalé indisponible depuis le" in page(client, dossier.get_absolute_url()).text()


def test_only_the_owner_is_told(nadia, remi):
    compose(nadia)
    new_version(Resource.objects.get(key="ms-dui-rem-va1"), "REM DUI, vague 2")
    assert len(notices_for_editor(nadia)) == 1
    assert notices_for_editor(remi) == []


def test_the_owners_list_shows_what_needs_attention(client, nadia):
    dossier = compose(nadia)
    new_version(Resource.objects.get(key="ms-dui-rem-va1"), "REM DUI, vague 2")
    client.login(username="nadia", password=PASSWORD)
    document = page(client, "/gestion/dossiers/")
    assert "1" in document.by_id("a-traiter").text()
    (line,) = document.find("ul", class_="sommaire-dossier-notices").find_all("li")
    assert line.find("a").get("href") == dossier.get_edit_url()
    assert "une nouvelle version existe, « REM DUI, vague 2 »" in line.text()


def test_the_editor_swaps_a_replaced_document_for_its_new_version(client, nadia):
    dossier = compose(nadia)
    new = new_version(Resource.objects.get(key="ms-dui-rem-va1"), "REM DUI, vague 2")
    client.login(username="nadia", password=PASSWORD)
    (form,) = [
        f
        for f in page(client, dossier.get_edit_url()).find_all("form", method="post")
        if f.find_all(name="items-TOTAL")
    ]
    assert form.find("button", value="upgrade:2") is not None
    data = {"items-TOTAL": "3", "title": dossier.title, "slug": dossier.slug}
    data |= {"audience": dossier.audience, "region": "", "status": "published"}
    data |= {"visibility": "listed", "revision": str(dossier.revision)}
    data |= {"items-0-kind": "heading", "items-0-heading": "Financement"}
    data |= {"items-1-kind": "resource", "items-1-resource": "ms-dui-af-va1"}
    data |= {"items-2-kind": "resource", "items-2-resource": "ms-dui-rem-va1"}
    swapped = page_post(client, dossier.get_edit_url(), {**data, "action": "upgrade:2"})
    assert swapped.find("input", name="items-2-resource").get("value") == new.key
    saved = client.post(
        dossier.get_edit_url(), {**data, "items-2-resource": new.key, "action": "save"}
    )
    assert saved.status_code == 302
    assert notices_for_editor(nadia) == []


def page_post(client, path, data):
    from tests.public.html import parse

    answer = client.post(path, data)
    assert answer.status_code == 200
    return parse(answer.content)
