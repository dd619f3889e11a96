"""GET /api/v1/sections, /glossary, /news, /vocabularies, /editions."""

from datetime import timedelta

from django.utils import timezone

from sommaire.catalog.models import GlossaryTerm, Region, Resource, Section
from sommaire.edition.build import publish


def test_sections_come_as_a_tree_in_the_order_of_the_sommaire(segur, client):
    tree = client.get("/api/v1/sections").json()

    roots = list(Section.objects.filter(parent=None).order_by("order", "slug"))
    assert [s["slug"] for s in tree] == [s.slug for s in roots]
    cible = next(s for s in tree if s["slug"] == "documentation-par-cible")
    hopital = next(s for s in cible["children"] if s["slug"] == "hopital")
    assert hopital["parent"] == "documentation-par-cible"
    assert hopital["resource_count"] == Section.objects.get(slug="hopital").placements.count()
    assert hopital["pdf_url"].endswith("/hopital.pdf")
    glossary = next(s for s in tree if s["glossary"])
    assert glossary["pdf_url"] is None


def test_the_glossary_lists_every_term(segur, client):
    terms = client.get("/api/v1/glossary").json()

    assert len(terms) == GlossaryTerm.objects.count()
    dsr = next(t for t in terms if t["term"] == "DSR")
    assert dsr["expansion"] == GlossaryTerm.objects.get(term="DSR").expansion
    assert dsr["page_url"].endswith("/glossaire/#terme-dsr")


def test_news_puts_the_latest_events_first(segur, client):
    now = timezone.now()
    Resource.objects.update(added_at=now - timedelta(days=60), changed_at=now - timedelta(days=60))
    Resource.objects.filter(key="hop-mode-emploi").update(
        status=Resource.Status.ARCHIVED, changed_at=now - timedelta(days=1)
    )
    Resource.objects.filter(key="hop-fiche-pratique").update(changed_at=now - timedelta(days=2))
    Resource.objects.filter(key="ins-guide-mise-en-oeuvre").update(
        added_at=now - timedelta(days=3), changed_at=now - timedelta(days=3)
    )

    news = client.get("/api/v1/news", {"since": (now - timedelta(days=30)).isoformat()}).json()

    assert news["count"] == 3
    assert [(i["event"], i["resource"]["key"]) for i in news["items"]] == [
        ("archived", "hop-mode-emploi"),
        ("changed", "hop-fiche-pratique"),
        ("added", "ins-guide-mise-en-oeuvre"),
    ]


def test_vocabularies_give_the_values_of_the_filters(segur, client):
    vocabularies = client.get("/api/v1/vocabularies").json()

    assert "dsr" in [k["slug"] for k in vocabularies["kinds"]]
    assert "ans" in [p["slug"] for p in vocabularies["publishers"]]
    assert len(vocabularies["regions"]) == Region.objects.count()
    occitanie = next(r for r in vocabularies["regions"] if r["code"] == "OCC")
    assert occitanie["pdf_url"].endswith("/region/OCC.pdf")


def test_editions_list_the_published_pdfs(segur, client):
    assert client.get("/api/v1/editions").json() == []
    edition = publish().edition

    editions = client.get("/api/v1/editions").json()

    assert [e["number"] for e in editions] == [edition.number]
    assert editions[0]["pdf_url"].endswith(f"/editions/{edition.number}.pdf")
