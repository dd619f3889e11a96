"""Listings shared by the pages: resources of a section by group, glossary by letter,
deadlines of a section."""

import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.text import slugify

from sommaire.catalog.models import (
    Deadline,
    GlossaryTerm,
    Placement,
    Resource,
    Section,
    Wave,
    split_deadlines,
)


@dataclass
class Group:
    """Resources of a section under one heading ("" for the ungrouped ones)."""

    title: str
    placements: list[Placement] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "groupe-" + (slugify(self.title) or "ressources")


@dataclass
class Letter:
    letter: str
    terms: list[GlossaryTerm] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "lettre-" + (self.letter.lower() if self.letter.isalpha() else "autres")


def reader_scope(region=None) -> Q:
    """Placements a reader sees: national resources, plus those of `region` if they picked one."""
    scope = Q(resource__region__isnull=True)
    if region is not None:
        scope |= Q(resource__region=region)
    return scope


def placements_of(section: Section, region=None) -> list[Placement]:
    """The active resources of a section a reader of `region` sees, in placement order."""
    return list(
        Placement.objects.filter(
            reader_scope(region), section=section, resource__status=Resource.Status.ACTIVE
        )
        .select_related(
            "resource__kind",
            "resource__format",
            "resource__publisher",
            "resource__profile",
            "resource__wave",
            "resource__region",
        )
        .order_by("order", "pk")
    )


def group_placements(placements: list[Placement]) -> list[Group]:
    """Groups in order of their first resource; each keeps its resources in order."""
    groups: dict[str, Group] = {}
    for placement in placements:
        groups.setdefault(placement.group, Group(placement.group)).placements.append(placement)
    return list(groups.values())


def sort_key(text: str) -> str:
    """Alphabetical order as a French reader expects it: accents and case ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def glossary_by_letter(terms: list[GlossaryTerm]) -> list[Letter]:
    letters: dict[str, Letter] = {}
    for term in sorted(terms, key=lambda t: (sort_key(t.term), t.term)):
        initial = sort_key(term.term)[:1].upper()
        letter = initial if initial.isalpha() else "#"
        letters.setdefault(letter, Letter(letter)).terms.append(term)
    return list(letters.values())


def deadlines_of(tree, section: Section | None = None, wave: Wave | None = None):
    """The deadlines of a section and of those below it (all without a section)."""
    rows = Deadline.objects.select_related("section", "wave")
    if section is not None:
        rows = rows.filter(section__in=[section, *tree.descendants(section)])
    if wave is not None:
        rows = rows.filter(wave=wave)
    return list(rows)


@dataclass
class SectionDeadlines:
    """What a section page says about dates: the next one, or that all are past."""

    next: Deadline | None
    last: Deadline | None
    count: int

    @classmethod
    def of(cls, tree, section: Section, now=None) -> "SectionDeadlines":
        coming, past = split_deadlines(deadlines_of(tree, section), now)
        return cls(
            next=coming[0] if coming else None,
            last=past[0] if past else None,
            count=len(coming) + len(past),
        )


@dataclass
class KindByCouloir:
    """One kind of document and its first resource in each couloir."""

    heading: str  # "Les fiches pratiques par couloir"
    placements: list[Placement] = field(default_factory=list)


def kinds_by_couloir(tree, kinds: dict[str, str]) -> list[KindByCouloir]:
    """For each kind slug (to its heading), its first active national resource in each section of
    the parent that gathers most sections holding one ("Documentation par cible"
    for fiches pratiques), in the tree's order: the home page's "par couloir"."""
    placements = (
        Placement.objects.filter(
            reader_scope(),
            resource__kind__slug__in=kinds,
            resource__status=Resource.Status.ACTIVE,
        )
        .select_related("resource__kind", "resource__format")
        .order_by("order", "pk")
    )
    found: dict[str, dict[int, Placement]] = {}
    for placement in placements:
        placement.section = tree.by_id[placement.section_id]
        found.setdefault(placement.resource.kind.slug, {}).setdefault(
            placement.section_id, placement
        )
    listed = []
    for slug, heading in kinds.items():
        firsts = list(found.get(slug, {}).values())
        parents = [p.section.parent_id for p in firsts if p.section.parent_id]
        if not parents:
            continue
        parent = max(set(parents), key=parents.count)
        chosen = sorted(
            (p for p in firsts if p.section.parent_id == parent), key=lambda p: p.section.order
        )
        listed.append(KindByCouloir(heading, chosen))
    return listed
