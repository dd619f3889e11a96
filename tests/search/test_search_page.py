"""/recherche/: results, snippets, facets and filters in the URL, help when nothing matches."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.public.html import page, parse
from tests.search.factories import resource


def results(document) -> list[str]:
    return [li.get("data-key") for li in document.find_all("li", class_="sommaire-search-result")]


def test_results_show_title_section_group_kind_format_and_publisher(client, segur):
    document = page(client, "/recherche/?q=DSR-HOP-DPI-Va1")

    first = document.find("li", class_="sommaire-search-result")
    assert first.get("data-key") == "hop-dpi-dsr-va1"
    assert first.find("a").get("href").endswith("/DSR-HOP-DPI-Va1.pdf")
    place = first.find("p", class_="sommaire-search-result__place")
    assert place.text() == "Dans Hôpital › Dossier Patient Informatisé (DPI)"
    assert place.find("a").get("href") == "/hopital/"
    badges = first.find("ul", class_="sommaire-badges").text()
    assert "Type : DSR" in badges and "Éditeur : ANS" in badges
    detail = first.find("p", class_="sommaire-resource__detail").text()
    assert detail == "Fichier PDF – esante.gouv.fr – pas encore vérifié"


def test_matching_words_are_marked_in_titles_and_snippets(client, segur):
    document = page(client, "/recherche/?q=pharmacie")

    marked = {m.text().lower() for m in document.by_id("contenu").find_all("mark")}
    assert "officine" in marked  # found through the synonym, marked all the same


def test_text_is_escaped_before_it_is_marked(client, segur):
    resource("Zorglub <script>alert(1)</script>", "Le <b>zorglub</b> & co", key="hostile")

    response = client.get("/recherche/?q=zorglub")

    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;<mark>zorglub</mark>&lt;/b&gt; &amp; co" in html


def test_facets_count_and_their_links_keep_the_query(client, segur):
    document = page(client, "/recherche/?q=certificats")

    kinds = document.find("ul", class_="sommaire-facet", data_facet="kind")
    guide = kinds.find("a", data_value="guide")
    assert guide.find("span", class_="sommaire-facet__count").text() == "(6)"
    assert parse_qs(urlsplit(guide.get("href")).query) == {"q": ["certificats"], "kind": ["guide"]}
    assert document.find("ul", class_="sommaire-facet", data_facet="section")


def test_filters_in_the_url_narrow_the_results(client, segur):
    everything = results(page(client, "/recherche/?q=certificats"))

    document = page(client, "/recherche/?q=certificats&section=officine&kind=guide")

    assert results(document) == ["off-guide-certificats"]
    assert len(everything) > 1
    chips = document.find("ul", class_="fr-tags-group")
    assert "Rubrique : Officine" in chips.text()
    lifted = chips.find("a", href="?q=certificats&kind=guide")
    assert "Type de document : Guide" not in lifted.text()


def test_a_corrected_query_says_so_and_links_to_the_original_words(client, segur):
    document = page(client, "/recherche/?q=oficine")

    assert document.by_id("correction").text() == "Résultats pour « officine »"
    original = document.link_to("?q=oficine&original=1")
    assert original.text() == "Rechercher plutôt « oficine »"
    assert results(document)

    as_typed = page(client, "/recherche/?q=oficine&original=1")
    assert not as_typed.find_all(id="correction")
    assert results(as_typed) == []


def test_an_empty_result_says_so_and_offers_the_glossary_and_the_sections(client, segur):
    document = page(client, "/recherche/?q=zzqxwv")

    assert "Aucun résultat pour « zzqxwv »" in document.by_id("nombre-de-resultats").text()
    help_block = document.by_id("aucun-resultat")
    assert help_block.link_to("/glossaire/")
    assert help_block.link_to("/documentation-par-cible/")


def test_results_come_in_pages(client, segur):
    for number in range(25):
        resource(f"Zorglub numéro {number}")

    first = page(client, "/recherche/?q=zorglub")
    second = page(client, "/recherche/?q=zorglub&page=2")

    assert len(results(first)) == 20 and len(results(second)) == 5
    assert not set(results(first)) & set(results(second))
    assert first.find("a", class_="fr-pagination__link--next").get("href") == "?q=zorglub&page=2"


def test_no_query_shows_the_search_form_only(client, segur):
    document = page(client, "/recherche/")

    assert document.by_id("recherche-q").get("name") == "q"
    assert not document.find_all("li", class_="sommaire-search-result")


def test_the_page_works_without_javascript(client, segur):
    response = client.get("/recherche/?q=dmp")

    form = parse(response.content).find("form", role="search")
    assert form.get("method") == "get" and form.get("action") == "/recherche/"


def test_every_public_page_has_the_header_search_box(client, segur):
    for path in ("/", "/hopital/", "/glossaire/", "/recherche/?q=dmp"):
        form = page(client, path).find("form", id="recherche-entete-formulaire")

        assert form.get("action") == "/recherche/" and form.get("method") == "get"
        assert form.find("input", name="q").get("type") == "search"


def test_a_resource_shown_by_an_earlier_search_shows_its_new_title_after_an_edit(
    client, transactional_db, segur
):
    # Outside a test transaction, as in production: what the process keeps is shared.
    from sommaire.catalog.models import Resource
    from sommaire.search import services

    assert "Référentiel INS — V2.0" in page(client, "/recherche/?q=referentiel+ins").text()
    assert 5 <= len(services._shared["state"].described) <= 20

    edited = Resource.objects.get(key="ins-referentiel")
    edited.title = "Référentiel INS — édition révisée"
    edited.save()

    assert (
        "Référentiel INS — édition révisée" in page(client, "/recherche/?q=ins+referentiel").text()
    )


def test_the_results_come_before_the_filters_in_reading_order(client, segur):
    html = client.get("/recherche/?q=certificats").content.decode()

    assert html.index('id="resultats"') < html.index('class="sommaire-facets"')


def test_the_filters_fold_and_count_the_active_ones(client, segur):
    folded = page(client, "/recherche/?q=certificats").find("section", class_="sommaire-filters")
    assert folded.find("button").get("aria-expanded") == "false"
    assert folded.find("button").text() == "Filtrer les résultats"

    document = page(client, "/recherche/?q=certificats&section=officine&kind=guide")
    button = document.find("section", class_="sommaire-filters").find("button")
    assert button.get("aria-expanded") == "true"
    assert button.text() == "Filtrer les résultats (2 filtres actifs)"


def test_a_skip_link_goes_to_the_results(client, segur):
    document = page(client, "/recherche/?q=certificats")

    skip = document.find("ul", class_="fr-skiplinks__list").link_to("#resultats")
    assert skip.text() == "Aller aux résultats"
    assert document.by_id("resultats").tag == "ol"


def test_wave_and_profile_are_facets_when_they_narrow_the_results(client, segur):
    document = page(client, "/recherche/?q=dpi")

    waves = document.find("ul", class_="sommaire-facet", data_facet="wave")
    assert waves.find("a", data_value="vague-1")
    profiles = document.find("ul", class_="sommaire-facet", data_facet="profile")
    assert profiles.find("a", data_value="dpi")


def test_it_names_the_word_the_results_lack(client, segur):
    document = page(client, "/recherche/?q=AF DPI vague 2")

    assert results(document) == ["hop-dpi-af-va1"]
    assert document.by_id("relaxed").text() == (
        "Aucun document ne contient tous vos mots : ces résultats ne contiennent pas « 2 »."
    )


def test_an_acronym_query_shows_its_definition_and_its_section(client, segur):
    definition = page(client, "/recherche/?q=ins").by_id("definition")

    assert definition.text().startswith("INS : Identité Nationale de Santé.")
    assert definition.link_to("/ins/").text() == "Rubrique « INS »"


def test_a_query_that_is_no_acronym_shows_no_definition(client, segur):
    assert not page(client, "/recherche/?q=certificats").find_all(id="definition")


def test_a_result_card_kept_from_an_earlier_search_shows_an_edit_on_the_next_one(
    client, transactional_db, segur
):
    # Outside a test transaction, as in production: the cards are kept per generation.
    from sommaire.catalog.models import Publisher, Resource
    from sommaire.search import services

    card = page(client, "/recherche/?q=referentiel+ins").find("li", data_key="ins-referentiel")
    assert "Archivée" not in card.text()
    assert services._shared["state"].kept["result cards"]

    edited = Resource.objects.get(key="ins-referentiel")
    edited.status = Resource.Status.ARCHIVED
    edited.url = "https://documents.example.org/ins.pdf"
    edited.save()
    Publisher.objects.filter(pk=edited.publisher_id).update(short_name="Agence")
    edited.publisher.save()

    card = page(client, "/recherche/?q=ins+referentiel").find("li", data_key="ins-referentiel")
    assert "Archivée" in card.text() and "Éditeur : Agence" in card.text()
    assert card.find("a").get("href") == "https://documents.example.org/ins.pdf"
    assert "documents.example.org" in card.find("p", class_="sommaire-resource__detail").text()


def test_a_card_whose_text_holds_a_marker_is_rendered_whole(client, segur):
    from django.db import connection

    from sommaire.catalog.models import Resource

    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL's text cannot hold NUL: no stored text can hold a marker")

    # Saving strips control characters; an update() behind the models' back does not.
    item = resource("Zorglub", "Le zorglub", key="marked")
    Resource.objects.filter(pk=item.pk).update(title="Zorglub \x00passages\x00 \x00title\x00")

    html = client.get("/recherche/?q=zorglub").content.decode()

    assert "de la ressource « Zorglub \x00passages\x00 \x00title\x00 »" in html
    assert html.count("<mark>Zorglub</mark>") == 1


def test_facet_values_are_escaped(client, segur):
    from sommaire.catalog.models import Publisher

    hostile = Publisher.objects.create(slug="hostile", name="Hostile", short_name="<b>Éd</b> & co")
    for n in range(2):
        item = resource(f"Zorglub {n}", key=f"zorglub-{n}")
        item.publisher = hostile if n else item.publisher
        item.save()

    html = client.get("/recherche/?q=zorglub&publisher=hostile").content.decode()

    assert "<b>Éd</b>" not in html
    assert (
        '<a class="fr-link fr-link--sm sommaire-facet__choice"'
        ' href="?q=zorglub&amp;publisher=hostile" aria-current="true" data-value="hostile">'
        "<strong>&lt;b&gt;Éd&lt;/b&gt; &amp; co"
        '</strong> <span class="sommaire-facet__count">(1)</span></a>'
    ) in html
