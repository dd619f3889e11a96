"""/nouveautes/: what was added, replaced or archived, newest first, by section."""

from datetime import timedelta

from django.utils import timezone
from selectolax.lexbor import LexborHTMLParser

from sommaire.catalog.models import CatalogEvent, Resource


def record(kind, key, days_ago=0, previous=None):
    event = CatalogEvent.record(kind, Resource.objects.get(key=key), previous=previous)
    CatalogEvent.objects.filter(pk=event.pk).update(at=timezone.now() - timedelta(days=days_ago))
    return event


def entries(response) -> list[str]:
    tree = LexborHTMLParser(response.content.decode())
    return [" ".join(li.text().split()) for li in tree.css("ol.sommaire-news > li")]


def test_it_lists_added_replaced_and_archived_resources_newest_first(segur, client):
    record("added", "hop-mode-emploi", days_ago=3)
    old = Resource.objects.get(key="hop-dpi-dsr-va1")
    record("replaced", "hop-dpi-rem-va1", days_ago=1, previous=old)
    record("archived", "hop-fiche-pratique", days_ago=2)

    response = client.get("/nouveautes/")

    assert response.status_code == 200
    found = entries(response)
    assert [e.split(" le ")[0] for e in found] == ["remplacée", "archivée", "ajoutée"]
    assert "remplace DSR — DPI, vague 1" in found[0]
    day = timezone.localdate() - timedelta(days=1)
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
    assert f"{day.day} {months[day.month - 1]} {day.year}" in found[0]


def test_it_filters_by_section_including_the_sections_below(segur, client):
    record("added", "hop-mode-emploi")
    record("added", "hop-fichier-calcul")
    mss = Resource.objects.filter(placements__section__slug="mssante").first()
    record("added", mss.key)

    hopital = entries(client.get("/nouveautes/?rubrique=hopital"))
    lanes = entries(client.get("/nouveautes/?rubrique=documentation-par-cible"))

    assert not any(mss.title in e for e in hopital)
    assert any("Mode d’emploi — Hôpital" in e for e in hopital)
    assert any("Mode d’emploi — Hôpital" in e for e in lanes)
    assert not any(mss.title in e for e in lanes)


def test_an_unknown_section_is_not_found(segur, client):
    assert client.get("/nouveautes/?rubrique=nulle-part").status_code == 404


def test_an_empty_list_says_so(segur, client):
    response = client.get("/nouveautes/")

    assert "Aucune nouveauté pour le moment" in response.content.decode()


def test_the_page_announces_its_feeds(segur, client):
    tree = LexborHTMLParser(client.get("/nouveautes/?rubrique=hopital").content.decode())

    feeds = [n.attributes["href"] for n in tree.css('link[type="application/atom+xml"]')]
    assert feeds == ["/nouveautes.atom", "/nouveautes/hopital.atom"]
