"""A section page says who answers its questions ("Qui contacter ?") and its next deadline."""

from selectolax.lexbor import LexborHTMLParser

from sommaire.catalog.models import Contact, Region, Section
from tests.public.deadlines import deadline, only_these


def page(client, path: str):
    response = client.get(path)
    assert response.status_code == 200
    return LexborHTMLParser(response.content)


def block(html):
    return html.css_first("section[aria-labelledby='qui-contacter']")


def names(node) -> list[str]:
    return [h.text(strip=True) for h in node.css(".sommaire-contact h4")]


def test_a_couloir_shows_its_own_national_contact_and_those_of_the_sections_above(segur, client):
    who = block(page(client, "/radiologie/"))

    national = names(who)
    assert "Équipes Ségur de l’ANS — Radiologie" in national
    assert "Agence de services et de paiement (ASP)" in national  # for "Documentation par cible"
    assert "Équipes Ségur de l’ANS — Hôpital" not in national
    asp = "https://www.asp-public.fr/aides/segur-du-numerique-en-sante-financement-lequipement"
    assert who.css_first(f"a[href='{asp}']") is not None


def test_without_a_region_it_invites_the_reader_to_choose_one(segur, client):
    who = block(page(client, "/hopital/"))

    link = who.css_first("a[href^='/regions/?next=']")
    assert link.text(strip=True) == "Choisissez votre région pour voir ses contacts"
    assert link.attributes["href"].endswith("next=/hopital/%23qui-contacter")


def test_with_a_region_it_shows_that_region_s_contacts(segur, client):
    client.get("/regions/?region=IDF")

    who = block(page(client, "/hopital/"))

    assert "En région Île-de-France" in who.text()
    assert "SESAN" in names(who)
    assert "e-santé Occitanie" not in names(who)


def test_a_region_without_contacts_says_so_and_links_its_page(segur, client):
    Contact.objects.filter(region__code="ARA").delete()

    who = block(page(client, "/hopital/?region=ARA"))

    assert "Aucun contact n’est encore publié pour cette région." in who.text()
    assert who.css_first("a[href='/regions/ara/']")


def test_a_section_with_no_national_contact_still_offers_the_regional_ones(segur, client):
    Contact.objects.filter(region__isnull=True).delete()
    Contact.objects.create(
        region=Region.objects.get(code="OCC"),
        name="GRADeS d’essai",
        order=99,
        source="https://www.example-ars.fr/gradés",
    )

    who = block(page(client, "/ins/?region=OCC"))

    assert "Au niveau national" not in who.text()
    occitanie = Contact.objects.filter(region__code="OCC").values_list("name", flat=True)
    assert sorted(names(who)) == sorted(occitanie)
    assert names(who)[-1] == "GRADeS d’essai"


def test_the_next_deadline_of_the_section_is_shown(segur, client):
    only_these(
        deadline("passee", -3, label="Déjà passée"),
        deadline("prochaine", 12, label="La prochaine"),
        deadline("suivante", 40, label="La suivante"),
    )

    callout = page(client, "/radiologie/").css_first(".sommaire-next-deadline")

    assert callout.css_first("h2").text(strip=True).startswith("Prochaine échéance :")
    assert "La prochaine" in callout.text() and "dans 12 jours" in callout.text()
    assert "La suivante" not in callout.text()
    assert callout.css_first("a[href='/echeances/?rubrique=radiologie']")


def test_when_all_deadlines_are_past_it_says_so(segur, client):
    only_these(
        deadline("ancienne", -30, label="Ancienne"), deadline("recente", -2, label="Récente")
    )

    callout = page(client, "/radiologie/").css_first(".sommaire-next-deadline")

    assert callout.css_first("h2").text(strip=True) == (
        "Toutes les échéances de cette rubrique sont passées"
    )
    assert "La dernière : Récente" in callout.text()


def test_a_section_without_deadlines_says_nothing_about_dates(segur, client):
    assert not Section.objects.get(slug="officine").deadlines.exists()

    assert page(client, "/officine/").css_first(".sommaire-next-deadline") is None
