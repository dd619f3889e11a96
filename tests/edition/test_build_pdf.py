"""`sommaire build-pdf [--section SLUG ...] [--region CODE] -o FILE [--publish]`."""

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sommaire.catalog.models import Placement, Region, Resource, Section
from sommaire.edition.models import Edition
from tests.edition.pdfs import Pdf


def build_pdf(*args: str) -> str:
    out = io.StringIO()
    call_command("build-pdf", *args, stdout=out)
    return out.getvalue()


def new_resource(key: str, section: str = "hopital", **values) -> Resource:
    model = Resource.objects.filter(placements__section__slug=section).first()
    values = {
        "title": f"Ressource {key}",
        "url": f"https://example.org/{key}.pdf",
        "kind_id": model.kind_id,
        "format_id": model.format_id,
        "publisher_id": model.publisher_id,
        **values,
    }
    resource = Resource.objects.create(key=key, **values)
    Placement.objects.create(
        resource=resource, section=Section.objects.get(slug=section), group="Nouveau"
    )
    return resource


def test_it_writes_the_whole_sommaire_to_the_file(segur, tmp_path):
    target = tmp_path / "sortie" / "sommaire.pdf"

    build_pdf("-o", str(target))

    pdf = Pdf(target.read_bytes())
    titles = [b.title for b in pdf.bookmarks]
    assert "Hôpital" in titles and "Officine" in titles and "Glossaire" in titles
    assert not list(target.parent.glob(".*.tmp"))


def test_sections_limit_the_edition_to_them_and_what_lies_below(segur, tmp_path):
    target = tmp_path / "cible.pdf"

    build_pdf("--section", "documentation-par-cible", "--section", "ins", "-o", str(target))

    titles = {b.title for b in Pdf(target.read_bytes()).bookmarks if b.depth <= 1}
    assert {"Documentation par cible", "Hôpital", "Officine", "INS"} <= titles
    assert "Services socles" not in titles
    assert "Programme SUN-ES" not in titles


def test_a_region_edition_adds_that_region_to_the_national_documentation(segur, tmp_path):
    occitanie, bretagne = Region.objects.get(code="OCC"), Region.objects.get(code="BRE")
    new_resource("guide-occitanie", region=occitanie)
    new_resource("guide-bretagne", region=bretagne)
    target = tmp_path / "occ.pdf"

    build_pdf("--region", "occ", "-o", str(target))

    pdf = Pdf(target.read_bytes())
    urls = {link.uri for link in pdf.links if link.uri}
    assert "https://example.org/guide-occitanie.pdf" in urls
    assert "https://example.org/guide-bretagne.pdf" not in urls
    assert Resource.objects.get(key="hop-fiche-pratique").url in urls
    assert "Région Occitanie" in pdf.text(0)


def test_an_unknown_section_or_region_stops_with_a_message(segur, tmp_path):
    with pytest.raises(CommandError, match="« nulle-part »"):
        build_pdf("--section", "nulle-part", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="« ZZ »"):
        build_pdf("--region", "zz", "-o", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_it_asks_for_a_file_unless_it_publishes(segur):
    with pytest.raises(CommandError, match="-o"):
        build_pdf()


def test_json_output_describes_what_was_written(segur, tmp_path):
    target = tmp_path / "ins.pdf"

    report = json.loads(build_pdf("--section", "ins", "-o", str(target), "--format", "json"))

    assert report == {
        "scope": "sections:ins",
        "output": str(target),
        "bytes": target.stat().st_size,
    }


def test_publishing_keeps_a_dated_edition_once_per_catalog_change(segur):
    first = json.loads(build_pdf("--publish", "--format", "json"))
    again = json.loads(build_pdf("--publish", "--format", "json"))

    assert first["published"] is True and first["edition"] == 1
    assert again["published"] is False and again["edition"] == 1
    assert Edition.objects.count() == 1
    edition = Edition.objects.get()
    assert bytes(edition.pdf).startswith(b"%PDF")
    assert edition.resources["hop-fiche-pratique"]["status"] == "active"

    new_resource("apres-edition")
    second = json.loads(build_pdf("--publish", "--format", "json"))

    assert second["published"] is True and second["edition"] == 2


def test_publishing_refuses_a_partial_edition(segur):
    with pytest.raises(CommandError, match="--publish"):
        build_pdf("--publish", "--section", "ins")


def test_a_new_edition_opens_with_what_changed_since_the_previous_one(segur, tmp_path):
    last_month = timezone.now() - timedelta(days=30)
    with timezone.override(UTC):
        call_command("build-pdf", "--publish", stdout=io.StringIO())
    Edition.objects.update(published_at=last_month)
    new_resource("nouveau-guide", title="Nouveau guide du couloir hôpital")
    retired = Resource.objects.get(key="hop-fiche-pratique")
    retired.status = Resource.Status.ARCHIVED
    retired.save()
    target = tmp_path / "nouvelle.pdf"

    build_pdf("--publish", "-o", str(target))

    pdf = Pdf(target.read_bytes())
    since = last_month.astimezone(timezone.get_current_timezone())
    news = [b for b in pdf.bookmarks if b.title.startswith("Nouveautés depuis l’édition du")]
    assert news and news[0].page == 1
    assert str(since.year) in news[0].title
    text = pdf.text(1)
    assert "Ressources ajoutées" in text and "Nouveau guide du couloir hôpital" in text
    assert "Ressources retirées" in text and retired.title in text
    assert "Édition n° 2 du" in pdf.text(0)


def test_a_replaced_resource_is_shown_with_its_successor(segur, monkeypatch):
    from sommaire.edition.build import publish
    from sommaire.edition.content import Scope, edition_data

    publish(now=datetime(2026, 10, 1, tzinfo=UTC))
    old = Resource.objects.get(key="hop-dpi-dsr-va1")
    new = new_resource("hop-dpi-dsr-va2", title="DSR — DPI, vague 2")
    old.status = Resource.Status.ARCHIVED
    old.save()
    # The watcher app gives resources a successor(); until then, stand in for it.
    monkeypatch.setattr(
        Resource, "successor", lambda self: new if self.pk == old.pk else None, raising=False
    )

    news = edition_data(Scope(), now=datetime(2026, 11, 25, tzinfo=UTC))["news"]

    assert news["since"] == "1er octobre 2026"
    assert [(r["old"], r["new"]["title"]) for r in news["replaced"]] == [
        (old.title, "DSR — DPI, vague 2")
    ]
    assert old.title not in news["archived"]
    assert "DSR — DPI, vague 2" not in [r["title"] for r in news["added"]]
