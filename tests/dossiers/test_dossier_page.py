"""/dossiers/<slug>/: the reader's page of a dossier."""

import pytest

from tests.dossiers.factories import compose
from tests.public.html import page

pytestmark = pytest.mark.django_db


def test_it_shows_the_items_in_order_with_headings_and_notes(client, nadia):
    dossier = compose(nadia)
    document = page(client, dossier.get_absolute_url())
    assert document.find("h1").text() == "Préparer sa demande SONS DUI"
    assert (
        "Pour un EHPAD qui prépare sa demande SONS DUI"
        in document.find(class_="fr-text--lead").text()
    )
    assert [h.text() for h in document.find_all("h2")][:1] == ["Financement"]
    titles = [li.find("h3").text() for li in document.find_all("li", class_="sommaire-resource")]
    assert titles[0].startswith("Appel à financement — DUI")
    assert (
        "Le texte de l’appel, à lire en premier."
        in document.find(class_="sommaire-dossier-note").text()
    )
