"""`sommaire sources add|list|remove`."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sommaire.watch.models import Source


def sources(*args) -> str:
    out = StringIO()
    call_command("sources", *args, stdout=out)
    return out.getvalue()


def test_add_list_and_remove_a_page(segur):
    sources("add", "HTTPS://Esante.gouv.fr/segur/test#haut", "--section", "hopital",
            "--selector", "div.documents", "--interval", "6h")  # fmt: skip

    source = Source.objects.get(url="https://esante.gouv.fr/segur/test")
    assert (source.section.slug, source.selector, source.interval) == (
        "hopital",
        "div.documents",
        timedelta(hours=6),
    )
    listed = json.loads(sources("list", "--format", "json"))
    assert {"url": source.url, "section": "hopital"}.items() <= next(
        row for row in listed if row["url"] == source.url
    ).items()

    sources("remove", "https://esante.gouv.fr/segur/test")

    assert not Source.objects.filter(url=source.url).exists()


def test_adding_twice_updates_in_place(segur):
    sources("add", "https://esante.gouv.fr/segur/test", "--section", "hopital")
    sources("add", "https://esante.gouv.fr/segur/test", "--section", "officine")

    assert Source.objects.filter(url__endswith="/segur/test").get().section.slug == "officine"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "ftp://x.org/a", "--section", "hopital"], r"not an http\(s\) address"),
        (["add", "https://x.org/a", "--section", "nulle-part"], "unknown section"),
        (["add", "http://192.168.1.1/a", "--section", "hopital"], "hôte local, privé ou réservé"),
        (["add", "https://x.org/a", "--section", "hopital", "--interval", "2s"], "--interval"),
        (["remove", "https://x.org/jamais-vue"], "is not watched"),
    ],
)
def test_mistakes_are_refused_with_a_reason(segur, args, message):
    with pytest.raises(CommandError, match=message):
        sources(*args)
