"""The section tree as the public pages walk it, loaded in one query.

Every page needs the tree (main navigation, breadcrumb, children, counts);
walking `section.parent` row by row would cost a query per level.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from sommaire.catalog.models import Placement, Region, Resource, Section
from sommaire.public.listing import reader_scope


@dataclass
class Row:
    """One row of tiles on the home page: a parent section's children, or leaf sections."""

    parent: Section | None
    sections: list[Section] = field(default_factory=list)


@dataclass
class HeadingGroup:
    """A heading of the home page ("Services socles") and its top sections."""

    heading: str
    sections: list[Section] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)


class SectionTree:
    def __init__(self, sections: list[Section]):
        self.sections = sorted(sections, key=lambda s: (s.order, s.slug))
        self.by_id = {s.pk: s for s in self.sections}
        self.by_slug = {s.slug: s for s in self.sections}
        self._children: dict[int | None, list[Section]] = defaultdict(list)
        for section in self.sections:
            parent_id = section.parent_id if section.parent_id in self.by_id else None
            self._children[parent_id].append(section)

    @classmethod
    def load(cls) -> "SectionTree":
        return cls(list(Section.objects.all()))

    @property
    def home(self) -> Section | None:
        return next((s for s in self.sections if s.is_home), None)

    @property
    def glossary(self) -> Section | None:
        return next((s for s in self.sections if s.is_glossary), None)

    def top(self) -> list[Section]:
        """The sections of the main navigation: roots, home and glossary aside."""
        return [s for s in self._children[None] if not (s.is_home or s.is_glossary)]

    def children(self, section: Section) -> list[Section]:
        return self._children.get(section.pk, [])

    def ancestors(self, section: Section) -> list[Section]:
        """From the root down to the parent of `section`; safe against cycles."""
        chain, seen = [], {section.pk}
        node = self.by_id.get(section.parent_id)
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = self.by_id.get(node.parent_id)
        return list(reversed(chain))

    def root(self, section: Section) -> Section:
        ancestors = self.ancestors(section)
        return ancestors[0] if ancestors else section

    def descendants(self, section: Section) -> list[Section]:
        found, stack, seen = [], list(self.children(section)), {section.pk}
        while stack:
            node = stack.pop(0)
            if node.pk in seen:
                continue
            seen.add(node.pk)
            found.append(node)
            stack.extend(self.children(node))
        return found

    def headings(self) -> list[HeadingGroup]:
        """Top sections grouped under their home heading, in order of first appearance."""
        groups: dict[str, HeadingGroup] = {}
        for section in self.top():
            group = groups.setdefault(section.heading, HeadingGroup(section.heading))
            group.sections.append(section)
            children = self.children(section)
            if children:
                group.rows.append(Row(section, children))
            elif group.rows and group.rows[-1].parent is None:
                group.rows[-1].sections.append(section)
            else:
                group.rows.append(Row(None, [section]))
        return list(groups.values())

    def count_resources(self, region: Region | None = None) -> None:
        """Give every section its `resource_count` (see `resource_counts`)."""
        counts = self.resource_counts(region)
        for section in self.sections:
            section.resource_count = counts[section.pk]

    def resource_counts(self, region: Region | None = None) -> dict[int, int]:
        """Active resources placed in each section or below it, each counted once.

        Counted as a reader of `region` sees them: national, plus that region's.
        """
        placed: dict[int, set[int]] = defaultdict(set)
        rows = Placement.objects.filter(
            reader_scope(region), resource__status=Resource.Status.ACTIVE
        ).values_list("section_id", "resource_id")
        for section_id, resource_id in rows:
            placed[section_id].add(resource_id)
        counts = {}
        for section in self.sections:
            keys = set(placed[section.pk])
            for descendant in self.descendants(section):
                keys |= placed[descendant.pk]
            counts[section.pk] = len(keys)
        return counts
