"""What the catalog holds, read straight from the models, to compare pages with."""

from sommaire.catalog.models import Placement, Resource, Section
from sommaire.catalog.pack import read_pack
from tests.conftest import SEGUR_PACK


def section_url(section: Section) -> str:
    return f"/{section.slug}/"


def subtree_ids(section: Section) -> set[int]:
    ids, frontier = {section.pk}, [section.pk]
    while frontier:
        frontier = list(
            Section.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.update(frontier)
    return ids


def resource_count(section: Section) -> int:
    """Active resources placed in the section or below it, each once."""
    return (
        Resource.objects.filter(status="active", placements__section__in=subtree_ids(section))
        .distinct()
        .count()
    )


def count_phrase(count: int) -> str:
    return "aucune ressource" if not count else f"{count} ressource" + ("s" if count > 1 else "")


def listed_sections() -> list[Section]:
    """Every section a reader reaches from home: all but home and glossary."""
    return list(Section.objects.filter(is_home=False, is_glossary=False).order_by("order"))


def placements_in(section: Section) -> list[Placement]:
    return list(
        Placement.objects.filter(section=section, resource__status="active")
        .select_related("resource")
        .order_by("order", "pk")
    )


def pack_section_slugs() -> list[str]:
    """The sections of the Ségur pack a reader reaches from home, read from the YAML
    (usable at collection time, before any database exists)."""
    return [s.slug for s in read_pack(SEGUR_PACK).sections if not (s.home or s.glossary)]
