"""An unlisted dossier is reached by its link only; a draft by its editors only.

Every place that announces pages is checked: the sitemap, the search (page
and API), the API listing, the feeds and the news page, the region page;
and the page itself asks search engines not to index it.
"""

import pytest

from tests.dossiers.factories import compose
from tests.personas import PASSWORD
from tests.public.html import page, parse

pytestmark = pytest.mark.django_db
SECRET = "Zéphyrin"  # a word no page of the catalog holds


@pytest.fixture
def dossiers(remi):
    return {
        "listed": compose(remi, "annonce", region="OCC", title="Dossier annoncé"),
        "unlisted": compose(
            remi, "par-lien", region="OCC", visibility="unlisted", title=f"Dossier {SECRET}"
        ),
        "draft": compose(
            remi, "brouillon", region="OCC", status="draft", title=f"Brouillon {SECRET}"
        ),
    }


def test_the_unlisted_dossier_opens_from_its_link_and_asks_not_to_be_indexed(client, dossiers):
    answer = client.get("/dossiers/par-lien/")
    assert answer.status_code == 200
    assert answer["X-Robots-Tag"] == "noindex"
    assert parse(answer.content).find("meta", name="robots").get("content") == "noindex"
    pdf = client.get("/dossiers/par-lien.pdf")
    assert pdf.status_code == 200 and pdf["X-Robots-Tag"] == "noindex"


def test_a_listed_dossier_may_be_indexed(client, dossiers):
    answer = client.get(dossiers["listed"].get_absolute_url())
    assert answer.status_code == 200
    assert not answer.has_header("X-Robots-Tag")
    assert not parse(answer.content).find_all("meta", name="robots")


def test_the_sitemap_lists_the_listed_dossier_only(client, dossiers):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert dossiers["listed"].get_absolute_url() in sitemap
    assert "/dossiers/par-lien/" not in sitemap
    assert "/dossiers/brouillon/" not in sitemap


def test_the_api_lists_the_listed_dossier_only(client, dossiers):
    slugs = [d["slug"] for d in client.get("/api/v1/dossiers").json()["items"]]
    assert slugs == [dossiers["listed"].slug]


@pytest.mark.parametrize(
    "path",
    [f"/recherche/?q={SECRET}", f"/api/v1/search?q={SECRET}", "/nouveautes/", "/nouveautes.atom"],
)
def test_search_news_and_feeds_never_show_them(client, dossiers, path):
    answer = client.get(path)
    assert answer.status_code == 200
    text = answer.content.decode()
    assert f"Dossier {SECRET}" not in text and f"Brouillon {SECRET}" not in text
    assert "/dossiers/par-lien" not in text and "/dossiers/brouillon" not in text


def test_the_region_page_shows_the_listed_dossier_only(client, dossiers):
    document = page(client, "/regions/occ/")
    block = [a.text() for a in document.find_all("a") if "/dossiers/" in a.get("href", "")]
    assert block == ["Dossier annoncé"]


def test_a_draft_is_a_404_for_readers_and_other_regions(client, dossiers, chloe):
    assert client.get("/dossiers/brouillon/").status_code == 404
    assert client.get("/dossiers/brouillon.pdf").status_code == 404
    client.login(username="chloe", password=PASSWORD)
    assert client.get("/dossiers/brouillon/").status_code == 404


def test_its_editor_previews_a_draft_never_cached(client, dossiers):
    client.login(username="remi", password=PASSWORD)
    answer = client.get("/dossiers/brouillon/")
    assert answer.status_code == 200
    assert "Brouillon : ce dossier n’est visible que des éditeurs." in answer.content.decode()
    assert "private" in answer["Cache-Control"]
    assert answer["X-Robots-Tag"] == "noindex"
