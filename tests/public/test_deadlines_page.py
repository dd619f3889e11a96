"""/echeances/: coming deadlines then past ones, filterable by section and wave."""

from datetime import time, timedelta

from django.utils import timezone
from selectolax.lexbor import LexborHTMLParser

from sommaire.public import cache as page_cache
from tests.public.deadlines import deadline, only_these


def page(client, path: str):
    response = client.get(path)
    assert response.status_code == 200
    return LexborHTMLParser(response.content)


def labels(html, heading_id: str) -> list[str]:
    listing = html.css_first(f"ol[aria-labelledby='{heading_id}']")
    return [h.text(strip=True) for h in listing.css("h3")] if listing else []


def test_coming_deadlines_come_first_soonest_first_then_past_ones_latest_first(segur, client):
    only_these(
        deadline("bientot", 3, label="Dans trois jours"),
        deadline("plus-tard", 40, label="Dans quarante jours"),
        deadline("hier", -1, label="Hier"),
        deadline("an-dernier", -365, label="L’an dernier"),
    )

    html = page(client, "/echeances/")

    assert labels(html, "a-venir") == ["Dans trois jours", "Dans quarante jours"]
    assert labels(html, "passees") == ["Hier", "L’an dernier"]
    assert "dans 3 jours" in html.css_first("ol[aria-labelledby='a-venir']").text()


def test_a_deadline_of_today_at_a_past_hour_is_past(segur, client):
    only_these(
        deadline("minuit", 0, time=time(0, 0), label="Ce matin"),
        deadline("ce-soir", 0, time=None, label="Toute la journée"),
    )

    html = page(client, "/echeances/")

    assert labels(html, "passees") == ["Ce matin"]
    assert labels(html, "a-venir") == ["Toute la journée"]


def test_it_filters_by_section_and_by_wave(segur, client):
    only_these(
        deadline("drimbox", 10, section="radiologie", wave="vague-2", label="DRIMbox"),
        deadline("ris", 10, section="radiologie", wave="vague-1", label="RIS"),
        deadline("dpi", 10, section="hopital", wave="vague-1", label="DPI"),
    )

    assert labels(page(client, "/echeances/?rubrique=radiologie"), "a-venir") == [
        "DRIMbox",
        "RIS",
    ]
    assert labels(page(client, "/echeances/?vague=vague-1"), "a-venir") == ["DPI", "RIS"]
    html = page(client, "/echeances/?rubrique=radiologie&vague=vague-1")
    assert labels(html, "a-venir") == ["RIS"]
    assert html.css_first("h1").text(strip=True) == "Échéances — Radiologie / Imagerie — Vague 1"


def test_a_parent_section_shows_the_deadlines_of_its_subsections(segur, client):
    only_these(deadline("dpi", 10, section="hopital", label="DPI"))

    html = page(client, "/echeances/?rubrique=documentation-par-cible")

    assert labels(html, "a-venir") == ["DPI"]


def test_an_unknown_section_or_wave_is_not_found(segur, client):
    assert client.get("/echeances/?rubrique=inconnue").status_code == 404
    assert client.get("/echeances/?vague=vague-9").status_code == 404


def test_each_deadline_shows_its_date_its_section_and_its_official_source(segur, client):
    made = deadline("drimbox-solde", 20, label="Dépôt des demandes de paiement du solde")
    only_these(made)

    item = page(client, "/echeances/").css_first(".sommaire-deadline")

    when = item.css_first("time")
    assert when.attributes["datetime"].startswith(made.date.isoformat() + "T12:00:00")
    assert when.text().endswith("à 12 h")
    assert item.css_first("a[href='/radiologie/']")
    assert item.css_first(f"a[href='{made.source}']")


def test_the_segur_dates_are_listed_with_french_dates(segur, client):
    html = page(client, "/echeances/?rubrique=hopital")

    text = html.css_first("main").text()
    assert "14 décembre 2023" in text and "15 juin 2022" in text


def test_the_page_is_in_the_sitemap(segur, client):
    assert b"/echeances/</loc>" in client.get("/sitemap.xml").content


def test_a_cached_page_shows_a_deadline_as_past_within_a_quarter_of_an_hour(
    segur, client, monkeypatch
):
    made = deadline("demain-midi", 1, label="Demain à midi")
    only_these(made)
    assert labels(page(client, "/echeances/"), "a-venir") == ["Demain à midi"]  # now cached

    later = made.ends_at() + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert labels(page(client, "/echeances/"), "a-venir") == ["Demain à midi"]  # same page

    monkeypatch.setattr(page_cache.time, "time", lambda: later.timestamp())
    assert labels(page(client, "/echeances/"), "passees") == ["Demain à midi"]
