"""`sommaire export --format json|csv`: the whole catalog on standard output."""

import csv
import io
import json

from django.core.management import call_command

from sommaire.catalog.models import GlossaryTerm, Resource, Section


def export(fmt: str) -> str:
    out = io.StringIO()
    call_command("export", "--format", fmt, stdout=out)
    return out.getvalue()


def test_json_holds_sections_resources_and_glossary(segur):
    data = json.loads(export("json"))

    assert [s["slug"] for s in data["sections"]] == list(
        Section.objects.order_by("order").values_list("slug", flat=True)
    )
    assert len(data["resources"]) == Resource.objects.count()
    assert len(data["glossary"]) == GlossaryTerm.objects.count()
    required = {
        "url",
        "title",
        "section",
        "group",
        "kind",
        "format",
        "publisher",
        "profile",
        "wave",
        "version",
        "region",
    }
    assert all(required <= set(r) for r in data["resources"])


def test_json_describes_a_resource_by_its_vocabulary_slugs(segur):
    resource = Resource.objects.filter(profile__isnull=False, wave__isnull=False).first()

    data = json.loads(export("json"))

    row = next(r for r in data["resources"] if r["url"] == resource.url)
    placement = resource.primary_placement()
    assert row["section"] == placement.section.slug
    assert row["group"] == placement.group
    assert row["kind"] == resource.kind.slug
    assert row["profile"] == resource.profile.slug
    assert row["wave"] == resource.wave.slug
    assert row["region"] is None


def test_a_resource_in_several_sections_lists_each_placement(segur):
    shared = next(r for r in Resource.objects.all() if r.placements.count() > 1)

    data = json.loads(export("json"))

    row = next(r for r in data["resources"] if r["key"] == shared.key)
    assert [p["section"] for p in row["sections"]] == [
        p.section.slug for p in shared.placements_in_order()
    ]


def test_csv_has_one_row_per_resource_and_agrees_with_json(segur):
    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    data = json.loads(export("json"))

    assert len(rows) == len(data["resources"])
    assert [r["url"] for r in rows] == [r["url"] for r in data["resources"]]
    assert rows[0]["title"] == data["resources"][0]["title"]
