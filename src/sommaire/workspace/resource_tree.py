"""The whole catalog as editors read it: the sommaire's tree, every region, every status.

Readers see national resources and their region's; editors see everything,
each resource marked with its region and whether this person may change it.
The tree is narrowed by the site's filters (`search.listing.Filters`) and,
with `?section=`, to one section and the sections below it.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import QuerySet

from sommaire.catalog.models import Placement, Resource, Section
from sommaire.editors import permissions
from sommaire.public.listing import Group, group_placements
from sommaire.public.tree import SectionTree
from sommaire.search.listing import Filters, Tally

# Past this many placements a page is too long to read (and to send): it shows
# the first ones, in the sommaire's order, and asks for a section or a filter.
TREE_LIMIT = 300


@dataclass
class Branch:
    """One section of the editors' tree, its resources by group."""

    section: Section
    depth: int  # 0 for a top section
    trail: str  # "Documentation par cible › Hôpital"
    groups: list[Group] = field(default_factory=list)
    url: str = ""  # the page narrowed to this section, filters kept

    @property
    def heading_level(self) -> int:
        return min(2 + self.depth, 6)

    @property
    def anchor(self) -> str:
        return f"section-{self.section.slug}"

    @property
    def parents(self) -> str:
        """ "Documentation par cible › " for Hôpital; empty for a top section."""
        head, _, _ = self.trail.rpartition(" › ")
        return f"{head} › " if head else ""

    @property
    def ungrouped(self) -> bool:
        """Has resources under no group title, where "Ajouter ici" needs no group."""
        return any(not group.title for group in self.groups)


@dataclass
class CatalogTree:
    outline: list[Branch]  # every section, in the sommaire's order
    branches: list[Branch]  # those shown, with their resources
    section: Section | None  # the section asked for, if any
    filters: Filters
    truncated: bool = False  # more than TREE_LIMIT placements: the first ones only
    all_url: str = ""  # the whole tree, filters kept
    scope: QuerySet | None = None  # the resources of the sections shown, before the filters

    def tally(self, generation: int) -> Tally:
        """How many resources the tree holds, and the filters' counts, once per generation.

        Counting the facets of the whole catalog reads every resource (most
        of a second at 100,000); it changes only with the catalog, and not
        with the person, so it is kept under the catalog generation.
        """
        key = f"workspace-tree-tally:{generation}:{self.filters.url()}"
        found = cache.get(key)
        if found is None:
            found = self.filters.tally(self.scope)
            cache.set(key, found, 3600)
        return found


def walk(tree: SectionTree) -> list[Branch]:
    """Every section but the glossary, depth first, in the sommaire's order."""
    found: list[Branch] = []

    def visit(section: Section, depth: int, trail: list[str]) -> None:
        names = [*trail, section.title]
        found.append(Branch(section, depth, " › ".join(names)))
        for child in tree.children(section):
            visit(child, depth + 1, names)

    roots = ([tree.home] if tree.home else []) + tree.top()
    for root in roots:
        visit(root, 0, [])
    return found


def build(user, params) -> CatalogTree:
    tree = SectionTree.load()
    outline = walk(tree)
    # The section narrows the tree (it and the sections below), not the resources.
    filters = Filters.from_query(params, keep=("section",))
    filters.values.pop("section", None)
    section = tree.by_slug.get(filters.keep.get("section", ""))
    for branch in outline:
        branch.url = filters.url(section=branch.section.slug)
    shown = outline
    if section is not None:
        inside = {section.pk, *(s.pk for s in tree.descendants(section))}
        shown = [branch for branch in outline if branch.section.pk in inside]
    placements = Placement.objects.filter(section__in=[b.section for b in shown])
    result = CatalogTree(outline, shown, section, filters, all_url=filters.url(section=""))
    result.scope = Resource.objects.filter(pk__in=placements.values("resource_id"))
    if filters:
        placements = placements.filter(resource__in=filters.apply(Resource.objects.all()))
    rows = _first_rows(placements, shown)
    result.truncated = len(rows) > TREE_LIMIT
    rows = rows[:TREE_LIMIT]
    by_section: dict[int, list[Placement]] = {}
    for placement in rows:
        placement.resource.editable = permissions.can_edit_region(
            user, placement.resource.region_id
        )
        by_section.setdefault(placement.section_id, []).append(placement)
    for branch in shown:
        branch.groups = group_placements(by_section.get(branch.section.pk, []))
    return result


def _first_rows(placements: QuerySet, branches: list[Branch]) -> list[Placement]:
    """Up to TREE_LIMIT + 1 placements, section after section in the outline's order.

    A query per section, each stopping at what is still wanted: one ordering
    of every placement of the catalog by section (100,000 rows) cost more
    than the page. The number of queries follows the sections, never the
    resources.
    """
    rows: list[Placement] = []
    described = placements.select_related("resource__kind", "resource__region")
    for branch in branches:
        wanted = TREE_LIMIT + 1 - len(rows)
        if wanted <= 0:
            break
        rows += described.filter(section=branch.section).order_by("order", "pk")[:wanted]
    return rows
