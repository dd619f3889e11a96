"""`sommaire resources add URL --section SLUG --title TITLE [--kind KIND]`: what scripts use."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sommaire.catalog.models import CatalogEvent, Resource
from sommaire.search import services as search


def add(*args) -> str:
    out = StringIO()
    call_command("resources", "add", *args, stdout=out)
    return out.getvalue()


URL = "https://esante.gouv.fr/sites/default/files/media_entity/documents/REM-HOP-DPI-Va9.xlsx"


def test_it_adds_a_resource_at_the_end_of_the_section_with_what_the_address_says(segur):
    out = add(URL, "--section", "hopital", "--title", "REM DPI, vague 9", "--kind", "rem")

    resource = Resource.objects.get(url=URL)
    assert out.strip() == f"Added: {resource.key} → hopital (rem, xlsx)"
    assert (resource.title, resource.kind.slug, resource.format.slug) == (
        "REM DPI, vague 9",
        "rem",
        "xlsx",
    )
    assert resource.publisher.slug == "ans"  # from the address's site
    assert (resource.profile.slug, resource.version) == ("dpi", "Va9")
    placement = resource.placements.get()
    orders = resource.placements.model.objects.filter(section=placement.section)
    assert placement.order == max(orders.values_list("order", flat=True))


def test_the_new_resource_is_news_and_searchable_at_once(segur):
    add(URL, "--section", "hopital", "--title", "Référentiel zorglub", "--kind", "rem")

    resource = Resource.objects.get(url=URL)
    assert CatalogEvent.objects.get(resource=resource).kind == CatalogEvent.Kind.ADDED
    assert [hit.resource_id for hit in search.search("zorglub").hits] == [resource.pk]


def test_running_it_twice_adds_once(segur):
    add(URL, "--section", "hopital", "--title", "REM", "--kind", "rem")

    out = add(URL, "--section", "officine", "--title", "Autre titre", "--kind", "guide")

    assert out.startswith("Already in the catalog: ")
    assert Resource.objects.filter(url=URL).count() == 1
    assert Resource.objects.get(url=URL).title == "REM"


def test_the_kind_is_guessed_from_a_conventional_name(segur):
    url = "https://esante.gouv.fr/documents/DSR-HOP-DPI-Va9.pdf"

    add(url, "--section", "hopital", "--title", "DSR DPI, vague 9")

    assert Resource.objects.get(url=url).kind.slug == "dsr"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--section", "nulle-part", "--title", "X", "--kind", "rem"], "unknown section"),
        (["--section", "hopital", "--title", "X", "--kind", "roman"], "unknown kind 'roman'"),
        (["--section", "hopital", "--title", "Sans indice"], "cannot guess the kind"),
        (["--section", "hopital", "--title", "  ", "--kind", "rem"], "--title must not be empty"),
        (
            ["--section", "hopital", "--title", "X", "--kind", "rem", "--region", "ZZ"],
            "unknown region",
        ),
    ],
)
def test_it_refuses_what_it_cannot_place(segur, args, message):
    with pytest.raises(CommandError, match=message):
        add("https://esante.gouv.fr/documents/notes.pdf", *args)
    assert not Resource.objects.filter(url="https://esante.gouv.fr/documents/notes.pdf").exists()


def test_an_unknown_site_needs_a_publisher(segur):
    url = "https://exemple.fr/doc.pdf"
    with pytest.raises(CommandError, match="cannot guess the publisher"):
        add(url, "--section", "hopital", "--title", "Doc", "--kind", "guide")

    add(url, "--section", "hopital", "--title", "Doc", "--kind", "guide", "--publisher", "anap")

    assert Resource.objects.get(url=url).publisher.slug == "anap"


def test_an_unsafe_address_is_refused(segur):
    with pytest.raises(CommandError, match="protocole refusé"):
        add("javascript:alert(1)", "--section", "hopital", "--title", "X", "--kind", "guide")


def test_a_title_longer_than_the_catalog_keeps_is_refused(segur):
    with pytest.raises(CommandError, match="title : texte trop long"):
        add(URL, "--section", "hopital", "--title", "REM " * 100, "--kind", "rem")

    assert not Resource.objects.filter(url=URL).exists()


def test_a_private_address_is_refused(segur):
    with pytest.raises(CommandError, match="hôte local, privé ou réservé"):
        add("http://192.168.0.4/rem.xlsx", "--section", "hopital", "--title", "X", "--kind", "rem")
