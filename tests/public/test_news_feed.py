"""/nouveautes.atom and /nouveautes/<section>.atom, parsed as Atom."""

import re
import xml.etree.ElementTree as ET

from sommaire.catalog.models import CatalogEvent, Resource

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def feed(client, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_the_feed_has_every_element_atom_requires(segur, client):
    old = Resource.objects.get(key="hop-dpi-dsr-va1")
    CatalogEvent.record("added", Resource.objects.get(key="hop-mode-emploi"))
    CatalogEvent.record("replaced", Resource.objects.get(key="hop-dpi-rem-va1"), previous=old)

    root = feed(client, "/nouveautes.atom")

    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id").startswith("tag:")
    assert root.findtext(f"{ATOM}title").startswith("Quoi de neuf")
    assert RFC3339.match(root.findtext(f"{ATOM}updated"))
    assert root.find(f"{ATOM}author/{ATOM}name").text
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == "http://testserver/nouveautes.atom"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith("tag:")
        assert entry.findtext(f"{ATOM}title")
        assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/ressource/")
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == 2


def test_entry_ids_are_stable_and_one_per_event(segur, client):
    resource = Resource.objects.get(key="hop-mode-emploi")
    CatalogEvent.record("added", resource)
    first = [e.findtext(f"{ATOM}id") for e in feed(client, "/nouveautes.atom").iter(f"{ATOM}entry")]
    CatalogEvent.record("archived", resource)

    second = [
        e.findtext(f"{ATOM}id") for e in feed(client, "/nouveautes.atom").iter(f"{ATOM}entry")
    ]

    assert len(second) == 2 and first[0] in second and len(set(second)) == 2


def test_a_section_feed_holds_that_section_only(segur, client):
    CatalogEvent.record("added", Resource.objects.get(key="hop-mode-emploi"))
    mss = Resource.objects.filter(placements__section__slug="mssante").first()
    CatalogEvent.record("added", mss)

    root = feed(client, "/nouveautes/hopital.atom")

    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles == ["Mode d’emploi — Hôpital (ajoutée)"]
    assert root.find(f"{ATOM}link[@rel='self']").get("href").endswith("/nouveautes/hopital.atom")
    assert "Hôpital" in root.findtext(f"{ATOM}title")


def test_an_empty_feed_is_still_valid(segur, client):
    root = feed(client, "/nouveautes.atom")

    assert RFC3339.match(root.findtext(f"{ATOM}updated"))
    assert root.findall(f"{ATOM}entry") == []


def test_an_unknown_section_has_no_feed(segur, client):
    assert client.get("/nouveautes/nulle-part.atom").status_code == 404


def test_a_description_holding_markup_reaches_the_feed_reader_as_text(segur, client):
    resource = Resource.objects.get(key="hop-mode-emploi")
    resource.description = 'Voir <img src=x onerror="alert(1)"> et <b>gras</b>'
    resource.save()
    CatalogEvent.record("added", resource)

    entry = feed(client, "/nouveautes.atom").find(f"{ATOM}entry")

    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert (
        summary.text
        == "Voir &lt;img src=x onerror=&quot;alert(1)&quot;&gt; et &lt;b&gt;gras&lt;/b&gt;"
    )


def test_control_characters_saved_before_the_catalog_cleaned_text_keep_the_feed_valid(
    segur, client
):
    resource = Resource.objects.get(key="hop-mode-emploi")
    Resource.objects.filter(pk=resource.pk).update(
        title="Guide\x0bINS\x1b", description="Un\x07deux\x0btrois"
    )
    CatalogEvent.record("added", resource)

    for path in ("/nouveautes.atom", "/nouveautes/hopital.atom"):
        entry = feed(client, path).find(f"{ATOM}entry")

        assert entry.findtext(f"{ATOM}title") == "Guide INS (ajoutée)"
        assert entry.findtext(f"{ATOM}summary") == "Undeux\ntrois\n"
