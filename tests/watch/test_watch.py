"""`sommaire watch`: a local official site that evolves between runs."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from sommaire.catalog.models import Resource
from sommaire.watch.models import Candidate, Snapshot, Source
from tests.watch.site import page

DOCS = [
    ("/documents/DSR-HOP-DPI-Va2.pdf", "Télécharger (PDF, 1,2 Mo)"),
    ("guide-integration.pdf", "Guide d’intégration"),
    ("https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000049999999", "Arrêté du 3 mars"),
    ("/segur/hopital/faq", "Questions fréquentes"),
]


def watch(*args) -> dict:
    out = StringIO()
    call_command("watch", "--all", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def only(report: dict) -> dict:
    [source] = report["sources"]
    return source


def test_a_first_run_proposes_each_publication_and_no_chrome(segur, site, watched):
    site.set("/segur/hopital", page(*DOCS))
    watched()

    report = only(watch())

    assert report["status"] == "changed"
    assert sorted(report["new_links"]) == sorted(
        [
            site.url("/documents/DSR-HOP-DPI-Va2.pdf"),
            site.url("/segur/guide-integration.pdf"),
            "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000049999999",
            site.url("/segur/hopital/faq"),
        ]
    )
    assert len(report["candidates"]) == 4
    assert not any("facebook" in u or "twitter" in u or "plan" in u for u in report["new_links"])


def test_it_guesses_metadata_and_names_the_predecessor(segur, site, watched):
    site.set("/segur/hopital", page(*DOCS))
    watched()

    watch()

    dsr = Candidate.objects.get(url=site.url("/documents/DSR-HOP-DPI-Va2.pdf"))
    assert dsr.change == Candidate.Change.VERSION
    assert dsr.predecessor.key == "hop-dpi-dsr-va1"
    assert (dsr.kind.slug, dsr.format.slug, dsr.profile.slug) == ("dsr", "pdf", "dpi")
    assert (dsr.version, dsr.wave.slug, dsr.section.slug) == ("Va2", "vague-2", "hopital")
    assert dsr.title == "DSR — DPI, Va2"
    law = Candidate.objects.get(url__contains="JORFTEXT")
    assert (law.kind.slug, law.format.slug, law.title) == ("arrete", "page-web", "Arrêté du 3 mars")
    guide = Candidate.objects.get(url__endswith="guide-integration.pdf")
    assert guide.change == Candidate.Change.NEW and guide.predecessor is None
    assert guide.title == "Guide d’intégration"


def test_an_unchanged_page_costs_one_conditional_request(segur, site, watched):
    site.set("/segur/hopital", page(*DOCS))
    watched()
    watch()

    report = only(watch())

    assert report["status"] == "not_modified"
    assert site.requests("/segur/hopital") == [200, 304]
    assert site.requests("/robots.txt") == [200, 200]  # once per host per run
    assert Candidate.objects.count() == 4


def test_a_server_without_validators_is_compared_by_content(segur, site, watched):
    site.set("/segur/hopital", page(*DOCS)).conditional = False
    watched()
    watch()

    assert only(watch())["status"] == "unchanged"


def test_tracking_parameters_fragments_and_spellings_are_one_document(segur, site, watched):
    site.set("/segur/hopital", page(("guide.pdf", "Guide")))
    watched()
    watch()
    variants = [
        ("guide.pdf?utm_source=lettre&utm_medium=email", "Guide"),
        ("/segur/./guide.pdf#page=2", "Guide"),
        (site.url("/segur/guid%65.pdf").replace("http://", "HTTP://"), "Guide"),
    ]
    site.set("/segur/hopital", page(*variants, extra="<p>Mise à jour</p>"))

    report = only(watch())

    assert report["status"] == "changed"
    assert report["new_links"] == [] and report["removed_links"] == []


def test_a_known_resource_gone_from_its_page_is_reported_not_deleted(segur, site, watched):
    known = Resource.objects.get(key="hop-mode-emploi")
    Resource.objects.filter(pk=known.pk).update(url=site.url("/documents/mode-demploi-hopital.pdf"))
    site.set(
        "/segur/hopital", page(("/documents/mode-demploi-hopital.pdf", "Mode d’emploi"), *DOCS)
    )
    watched()
    first = only(watch())
    assert site.url("/documents/mode-demploi-hopital.pdf") not in first["candidates"]
    site.set("/segur/hopital", page(*DOCS))

    report = only(watch())

    assert report["removed_links"] == [site.url("/documents/mode-demploi-hopital.pdf")]
    removal = Candidate.objects.get(change=Candidate.Change.REMOVED)
    assert removal.resource == known
    known.refresh_from_db()
    assert known.status == Resource.Status.ACTIVE


def test_a_document_back_on_its_page_withdraws_its_removal(segur, site, watched):
    Resource.objects.filter(key="hop-mode-emploi").update(url=site.url("/docs/mode.pdf"))
    site.set("/segur/hopital", page(("/docs/mode.pdf", "Mode d’emploi"), *DOCS))
    watched()
    watch()
    site.set("/segur/hopital", page(*DOCS))
    watch()
    site.set("/segur/hopital", page(("/docs/mode.pdf", "Mode d’emploi"), *DOCS))

    watch()

    assert not Candidate.objects.filter(change=Candidate.Change.REMOVED).exists()


@pytest.mark.parametrize(
    "broken",
    [
        {"body": "<html><body><h1>Site en maintenance</h1></body></html>"},
        {"body": "", "content_type": "text/html"},
        {"body": "<h1>Erreur</h1>", "status": 503},
        {"body": "<h1>Erreur interne</h1>", "status": 500},
        {"body": page(*DOCS, extra='<form><input type="password" name="mdp"></form>')},
    ],
    ids=["maintenance", "empty", "unavailable", "error", "login-wall"],
)
def test_a_broken_page_removes_nothing_and_its_recovery_announces_nothing(
    segur, site, watched, broken
):
    many = [(f"/documents/note-{n}.pdf", f"Note {n}") for n in range(6)]
    site.set("/segur/hopital", page(*many))
    watched()
    watch()
    proposed = Candidate.objects.count()
    good = site.pages["/segur/hopital"]
    site.pages["/segur/hopital"] = type(good)(**broken)

    during = only(watch())
    site.pages["/segur/hopital"] = good
    after = only(watch())

    assert during["status"] == "error" and during["error"]
    assert during["removed_links"] == [] and during["new_links"] == []
    assert after["new_links"] == [] and after["removed_links"] == []
    assert Candidate.objects.count() == proposed
    assert not Candidate.objects.filter(change=Candidate.Change.REMOVED).exists()


def test_a_page_that_lost_a_few_documents_is_still_trusted(segur, site, watched):
    many = [(f"/documents/note-{n}.pdf", f"Note {n}") for n in range(6)]
    site.set("/segur/hopital", page(*many))
    watched()
    watch()
    site.set("/segur/hopital", page(*many[:4]))

    report = only(watch())

    assert report["status"] == "changed"
    assert len(report["removed_links"]) == 2


def test_robots_rules_are_respected(segur, site, watched):
    site.set("/prive/hopital", page(*DOCS))
    watched("/prive/hopital")

    report = only(watch())

    assert report["status"] == "error" and "robots.txt" in report["error"]
    assert site.requests("/prive/hopital") == []


def test_malformed_html_still_yields_its_links(segur, site, watched):
    site.set(
        "/segur/hopital",
        "<html><body><main><ul><li><a href='a.pdf'>A<li><a href=b.xlsx>B</a><table><tr>"
        '<td><a href="c.docx">C</td></a><p><a href=d.csv>D<div></main>',
    )
    watched()

    report = only(watch())

    names = sorted(url.rsplit("/", 1)[-1] for url in report["new_links"])
    assert names == ["a.pdf", "b.xlsx", "c.docx", "d.csv"]


def test_a_huge_page_is_read_within_the_limit(segur, site, watched):
    filler = "<p>" + "Texte de la page. " * 60 + "</p>"
    site.set("/segur/hopital", page(*DOCS, extra=filler * 2000))  # about 2 MB
    watched()

    assert len(only(watch())["new_links"]) == 4


def test_a_page_over_the_size_limit_is_not_trusted(segur, site, watched, settings):
    settings.FETCH_MAX_BYTES = 64 * 1024
    filler = "<p>" + "Texte de la page. " * 60 + "</p>"
    site.set("/segur/hopital", page(*DOCS, extra=filler * 200))
    watched()

    report = only(watch())

    assert report["status"] == "error" and "volumineuse" in report["error"]
    assert not Candidate.objects.exists()


def test_a_dismissed_candidate_is_never_proposed_again(segur, site, watched):
    site.set("/segur/hopital", page(*DOCS))
    watched()
    watch()
    Candidate.objects.get(url__endswith="guide-integration.pdf").dismiss()
    site.set("/segur/hopital", page(*DOCS[2:]))
    watch()
    site.set("/segur/hopital", page(*DOCS))

    report = only(watch())

    assert site.url("/segur/guide-integration.pdf") in report["new_links"]
    assert report["candidates"] == []
    assert Candidate.objects.get(url__endswith="guide-integration.pdf").status == "dismissed"


def test_the_same_document_on_two_pages_is_one_candidate(segur, site, watched):
    site.set("/segur/hopital", page(*DOCS))
    site.set("/segur/officine", page(("/documents/DSR-HOP-DPI-Va2.pdf", "DSR DPI Va2")))
    watched()
    watched("/segur/officine", section="officine")

    watch()

    assert Candidate.objects.filter(url__endswith="DSR-HOP-DPI-Va2.pdf").count() == 1


def test_a_source_claimed_by_another_run_is_left_to_it(segur, site, watched):
    site.set("/segur/hopital", page(*DOCS))
    source = watched()
    assert source.claim(timedelta(minutes=5))

    report = watch()

    assert report["sources"] == [] and report["summary"]["skipped"] == 1
    assert site.requests("/segur/hopital") == []
    assert not Source.objects.get(pk=source.pk).claim(timedelta(minutes=5))


def test_only_due_sources_are_watched_by_default(segur, site, watched):
    site.set("/segur/hopital", page(*DOCS))
    watched(interval=timedelta(hours=6))
    call_command("watch", stdout=StringIO())
    out = StringIO()

    call_command("watch", "--format", "json", stdout=out)

    assert json.loads(out.getvalue())["sources"] == []
    assert site.requests("/segur/hopital") == [200]


def test_snapshots_are_compressed_and_only_the_last_few_kept(segur, site, watched, settings):
    settings.WATCH_SNAPSHOTS_KEPT = 2
    source = watched()
    for n in range(4):
        site.set("/segur/hopital", page(*DOCS, extra=f"<p>Version {n}</p>"))
        watch()

    snapshots = list(Snapshot.objects.filter(source=source))
    assert len(snapshots) == 2
    assert b"Version 3" in snapshots[0].html()
    assert len(bytes(snapshots[0].body)) < len(snapshots[0].html())


def test_the_text_output_names_each_source(segur, site, watched):
    site.set("/segur/hopital", page(*DOCS))
    watched()
    out = StringIO()

    call_command("watch", "--all", stdout=out)

    assert f"changed       {site.url('/segur/hopital')}  +4 -0  4 candidate(s)" in out.getvalue()


def test_it_proposes_no_document_an_editor_could_not_publish(segur, site, watched):
    site.set(
        "/segur/hopital",
        page(
            ("http://10.0.0.5/intranet/guide.pdf", "Guide de l’intranet"),
            ("/documents/guide-ins.pdf", "Guide\x0bde l’INS\x1b"),
        ),
    )
    watched()

    report = only(watch())

    assert report["candidates"] == [site.url("/documents/guide-ins.pdf")]
    assert Candidate.objects.get().title == "Guide de l’INS"
