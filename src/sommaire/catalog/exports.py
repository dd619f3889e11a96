"""The catalog as plain data, for `sommaire export` and the download links.

Every export format is built from `catalog_as_dict()`, so JSON and CSV can
never disagree about what the catalog holds.
"""

import csv
import io

from sommaire.catalog.models import GlossaryTerm, Placement, Resource, Section

RESOURCE_COLUMNS = [
    "key",
    "url",
    "title",
    "section",
    "group",
    "sections",
    "kind",
    "format",
    "publisher",
    "profile",
    "wave",
    "version",
    "region",
    "description",
    "status",
    "added_at",
    "changed_at",
]


def resources_in_order() -> list[tuple[Resource, list[Placement]]]:
    """Every resource with its placements, in the order of its first placement."""
    placements = Placement.objects.select_related("section").order_by(
        "section__order", "section__slug", "order", "pk"
    )
    by_resource: dict[int, list[Placement]] = {}
    for placement in placements:
        by_resource.setdefault(placement.resource_id, []).append(placement)
    resources = Resource.objects.described().in_bulk(list(by_resource))
    ordered = [(resources[pk], by_resource[pk]) for pk in by_resource]
    orphans = Resource.objects.described().exclude(pk__in=list(by_resource)).order_by("key")
    return ordered + [(r, []) for r in orphans]


def resource_as_dict(resource: Resource, placements: list[Placement]) -> dict:
    first = placements[0] if placements else None
    return {
        "key": resource.key,
        "url": resource.url,
        "title": resource.title,
        "section": first.section.slug if first else None,
        "group": first.group if first else "",
        "sections": [{"section": p.section.slug, "group": p.group} for p in placements],
        "kind": resource.kind.slug,
        "format": resource.format.slug,
        "publisher": resource.publisher.slug,
        "profile": resource.profile.slug if resource.profile else None,
        "wave": resource.wave.slug if resource.wave else None,
        "version": resource.version or None,
        "region": resource.region.code if resource.region else None,
        "description": resource.description,
        "status": resource.status,
        "added_at": resource.added_at.isoformat(),
        "changed_at": resource.changed_at.isoformat(),
    }


def catalog_as_dict() -> dict:
    sections = Section.objects.select_related("parent").order_by("order", "slug")
    return {
        "sections": [
            {
                "slug": s.slug,
                "title": s.title,
                "parent": s.parent.slug if s.parent else None,
                "heading": s.heading,
                "intro": s.intro,
            }
            for s in sections
        ],
        "resources": [resource_as_dict(r, p) for r, p in resources_in_order()],
        "glossary": [
            {"term": t.term, "expansion": t.expansion, "definition": t.definition}
            for t in GlossaryTerm.objects.order_by("order", "term")
        ],
    }


def catalog_as_csv(data: dict | None = None) -> str:
    """One row per resource; the list of placements as "section:group" joined by " | "."""
    data = data or catalog_as_dict()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=RESOURCE_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in data["resources"]:
        flat = dict(row)
        flat["sections"] = " | ".join(f"{p['section']}:{p['group']}" for p in row["sections"])
        writer.writerow({k: "" if v is None else v for k, v in flat.items()})
    return out.getvalue()
