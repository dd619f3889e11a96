"""The PDF edition, read as a reader's software reads it: outline, links, tags, text."""

from datetime import UTC, datetime

from django.utils import timezone

from sommaire.catalog.models import GlossaryTerm, Placement, Resource, Section
from sommaire.edition.build import build_pdf
from sommaire.edition.content import HOME_CHAPTER_TITLE, Scope, edition_data, french_date
from tests.edition.pdfs import Pdf

A4 = (595.28, 841.89)


def toc_page(pdf: Pdf) -> int:
    backs = [link for link in pdf.links if pdf.text_under(link) == "↑ Retour au sommaire"]
    assert backs, "no link back to the table of contents"
    pages = {link.target_page for link in backs}
    assert len(pages) == 1
    return pages.pop()


def test_the_outline_names_every_section_and_every_group(segur, segur_pdf):
    titles = [b.title for b in segur_pdf.bookmarks]
    sections = Section.objects.exclude(is_glossary=True)
    groups = set(
        Placement.objects.filter(resource__status=Resource.Status.ACTIVE)
        .exclude(group="")
        .values_list("group", flat=True)
    )

    expected = {HOME_CHAPTER_TITLE if s.is_home else s.title for s in sections}
    assert expected <= set(titles)
    assert groups <= set(titles)
    assert "Glossaire" in titles


def test_each_bookmark_lands_on_the_page_that_bears_its_title(segur_pdf):
    for bookmark in segur_pdf.bookmarks:
        assert bookmark.title in segur_pdf.text(bookmark.page), bookmark


def test_subsections_are_nested_under_their_section_in_the_outline(segur, segur_pdf):
    hopital = Section.objects.get(slug="hopital")
    depths = {b.title: b.depth for b in segur_pdf.bookmarks}

    assert depths[hopital.parent.title] == 0
    assert depths[hopital.title] == 1


def test_every_catalog_url_is_a_link_annotation(segur, segur_pdf):
    urls = set(Resource.objects.active().values_list("url", flat=True))

    linked = {link.uri for link in segur_pdf.links if link.uri}

    assert urls
    assert not urls - linked


def test_the_table_of_contents_entries_land_on_their_section(segur, segur_pdf):
    toc = toc_page(segur_pdf)
    entries = [link for link in segur_pdf.links if link.page == toc and link.target_page]
    top_sections = [
        HOME_CHAPTER_TITLE if s.is_home else s.title
        for s in Section.objects.filter(parent=None, is_glossary=False)
    ]

    landed = {segur_pdf.line_at_target(link) for link in entries}

    assert set(top_sections) <= landed
    for link in entries:
        printed_page = segur_pdf.text_under(link).rsplit(" ", 1)[-1].strip(". \u2060")
        assert printed_page == str(link.target_page + 1), segur_pdf.text_under(link)


def test_every_section_page_leads_back_to_the_table_of_contents(segur, segur_pdf):
    toc = toc_page(segur_pdf)
    section_pages = {b.page for b in segur_pdf.bookmarks if b.page > toc}
    back_pages = {
        link.page
        for link in segur_pdf.links
        if link.target_page == toc and "Retour au sommaire" in segur_pdf.text_under(link)
    }

    assert section_pages <= back_pages


def test_glossary_terms_in_the_text_link_to_their_entry(segur, segur_pdf):
    terms = set(GlossaryTerm.objects.values_list("term", flat=True))
    glossary_pages = {b.page for b in segur_pdf.bookmarks if b.title == "Glossaire"}
    links = [
        link
        for link in segur_pdf.links
        if link.target_page is not None and segur_pdf.text_under(link) in terms
    ]

    assert len(links) > 50
    for link in links:
        term = segur_pdf.text_under(link)
        assert link.target_page >= min(glossary_pages)
        assert segur_pdf.line_at_target(link).startswith(f"{term} — "), term


def test_an_acronym_is_explained_on_its_first_use_on_each_page(segur, segur_pdf):
    expansions = dict(GlossaryTerm.objects.values_list("term", "expansion"))
    glossary_start = min(b.page for b in segur_pdf.bookmarks if b.title == "Glossaire")
    checked = 0
    for page in range(1, glossary_start):
        text = segur_pdf.text(page)
        linked = {
            segur_pdf.text_under(link)
            for link in segur_pdf.links
            if link.page == page and link.target_page is not None
        }
        for term in linked & set(expansions):
            explained = f"{term} ({expansions[term]})"
            assert text.count(explained) <= 1, (page, term)
            assert explained in text or f"({term})" in text, (page, term)
            checked += 1
    assert checked > 20


def test_each_resource_shows_its_kind_and_format(segur, segur_pdf):
    text = segur_pdf.full_text()
    for resource in Resource.objects.active().described().order_by("key")[:40]:
        assert f"{resource.kind.label} · {resource.format.label} · " in text, resource.key


def test_it_is_tagged_pdf_ua_with_a_title_and_the_french_language(segur_pdf):
    root = segur_pdf.root

    assert root["/Lang"] == "fr-FR"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert segur_pdf.reader.metadata.title.endswith("sommaire de la documentation")
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


def test_every_page_is_a4(segur_pdf):
    for page in segur_pdf.reader.pages:
        size = (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2))
        assert size == A4


def test_no_page_is_left_all_but_empty(segur_pdf):
    """A kicker alone on a page, with its section on the next, wastes paper and confuses."""
    bottom_margin = 2.4 / 2.54 * 72  # the footer stands below it
    thin = []
    for number in range(1, len(segur_pdf.reader.pages)):
        lines = {round(run.y) for run in segur_pdf.runs(number) if run.y > bottom_margin}
        if len(lines) < 2:
            thin.append((number + 1, segur_pdf.text(number)))
    assert thin == []


def test_the_cover_bears_the_edition_date(segur_pdf):
    assert f"Édition du {french_date(timezone.now())}" in segur_pdf.text(0)


def test_typst_lays_out_the_full_edition_without_a_warning(segur, caplog):
    # A warning such as "layout did not converge" means wrong page numbers.
    now = datetime(2026, 11, 25, 10, tzinfo=UTC)

    pdf = Pdf(build_pdf(Scope(), now=now))

    assert "Édition du 25 novembre 2026" in pdf.text(0)
    assert pdf.reader.metadata.creation_date.year == 2026
    assert not [r for r in caplog.records if r.name.startswith("sommaire.edition")]


def test_catalog_text_is_printed_as_written_never_run_as_typst(segur):
    hostile = '#import "x": * $a$ *b* _c_ @d <e> ] [ \\ // f /* g #{1 + 1} = h'
    section = Section.objects.create(slug="piegee", title=f"Section {hostile}", intro=hostile)
    resource = Resource.objects.create(
        key="piegee",
        title=f"Titre {hostile}",
        url="https://example.org/a?b=c&d=<e>",
        kind_id=Resource.objects.first().kind_id,
        format_id=Resource.objects.first().format_id,
        publisher_id=Resource.objects.first().publisher_id,
        description=f"Description {hostile}",
    )
    Placement.objects.create(resource=resource, section=section, group=f"Groupe {hostile}")

    pdf = Pdf(build_pdf(Scope(sections=("piegee",))))

    text = pdf.full_text()
    for printed in (f"Titre {hostile}", f"Description {hostile}", f"Groupe {hostile}"):
        assert printed.replace(" ", "") in text.replace(" ", "")
    assert "https://example.org/a?b=c&d=<e>" in {link.uri for link in pdf.links}
    assert f"Section {hostile}" in [b.title for b in pdf.bookmarks]


def test_a_section_edition_holds_that_section_and_what_lies_below_it(segur):
    parent = Section.objects.get(slug="documentation-par-cible")

    data = edition_data(Scope(sections=(parent.slug,)))

    slugs = [chapter["slug"] for chapter in data["chapters"]]
    assert slugs == [parent.slug] + [
        s.slug for s in Section.objects.filter(parent=parent).order_by("order", "slug")
    ]


def test_a_scoped_edition_prints_only_the_glossary_terms_it_uses(segur):
    data = edition_data(Scope(sections=("hopital",)))

    printed = {g["term"] for g in data["glossary"]}
    assert "DPI" in printed
    assert printed < set(GlossaryTerm.objects.values_list("term", flat=True))


def test_dates_are_written_the_french_way():
    assert french_date(datetime(2026, 11, 25)) == "25 novembre 2026"
    assert french_date(datetime(2027, 3, 1)) == "1er mars 2027"


def _placed(slug: str, title: str, description: str) -> None:
    section = Section.objects.create(slug=slug, title=f"Section {title}", intro=description)
    model = Resource.objects.first()
    resource = Resource.objects.create(
        key=slug,
        title=title,
        url=f"https://example.org/{slug}",
        kind_id=model.kind_id,
        format_id=model.format_id,
        publisher_id=model.publisher_id,
        description=description,
    )
    Placement.objects.create(resource=resource, section=section, group=title)


def test_emoji_symbols_and_other_scripts_are_printed_and_the_pdf_stays_tagged(segur):
    pasted = (
        "Nouveau 🚀 guide ✅ ♻ ☎ → ★ ⚠ 👍🏽 🇫🇷 "
        "Ελληνικά Кириллица العربية עברית हिन्दी ไทย 中文 日本語 한국어"
    )
    _placed("collee", pasted, f"Description : {pasted}")

    pdf = Pdf(build_pdf(Scope(sections=("collee",))))

    text = pdf.full_text().replace(" ", "")
    for word in (
        "Nouveau🚀guide",
        "✅",
        "♻",
        "☎",
        "★",
        "⚠",
        "中文",
        "日本語",
        "한국어",
        "Ελληνικά",
    ):
        assert word in text, word
    assert pdf.root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in pdf.root
    assert b"pdfuaid:part" in pdf.root["/Metadata"].get_object().get_data()


def test_a_character_no_font_has_is_printed_as_the_replacement_character(segur):
    _placed("inconnus", "Privé \ue000 non attribué \u0378 fin", "Clé \U000f0000 ok")

    pdf = Pdf(build_pdf(Scope(sections=("inconnus",))))

    assert "Privé \ufffd non attribué \ufffd fin" in pdf.full_text()
