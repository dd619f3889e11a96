"""What an edition holds, as plain data for the Typst template.

`edition_data(scope)` reads the catalog in a constant number of queries and
returns a dict that `templates/edition/sommaire.typ` lays out. Catalog text
reaches Typst as JSON data, never as Typst markup: a title holding `#`, `$`,
`*`, `]`, `//` or `<x>` is printed as written, not run, so there is no escaping
to forget. Only code of our own (the template) is Typst.

Running text (section introductions, resource descriptions) is cut into
segments: plain strings, and glossary terms as {"t": term, "k": label,
"e": expansion} that the template links to the glossary and explains on their
first use on each page.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from sommaire.catalog.models import GlossaryTerm, PackInfo, Placement, Region, Resource, Section
from sommaire.edition.models import Changes, Edition
from sommaire.public.acronyms import Acronyms

MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
HOME_CHAPTER_TITLE = "Pour commencer"


def french_date(value: date | datetime) -> str:
    """25 novembre 2026; 1er mars 2027."""
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


class UnknownScope(ValueError):
    """A section slug or a region code that the catalog does not hold."""


@dataclass(frozen=True)
class Scope:
    """Which part of the catalog an edition covers: all of it by default."""

    sections: tuple[str, ...] = ()
    region: str = ""

    @property
    def key(self) -> str:
        parts = []
        if self.sections:
            parts.append("sections:" + ",".join(self.sections))
        if self.region:
            parts.append("region:" + self.region)
        return ";".join(parts) or "sommaire"

    def is_full(self) -> bool:
        return not self.sections and not self.region

    def resolve(self) -> tuple[list[Section], Region | None]:
        """The chosen sections (all top ones when none) and region; UnknownScope otherwise."""
        region = None
        if self.region:
            region = Region.lookup(self.region)
            if region is None:
                raise UnknownScope(f"Aucune région n’a le code « {self.region} ».")
        found = Section.objects.in_bulk(self.sections, field_name="slug")
        missing = [slug for slug in self.sections if slug not in found]
        if missing:
            raise UnknownScope(f"Aucune section n’a l’identifiant « {missing[0]} ».")
        glossary = [slug for slug in self.sections if found[slug].is_glossary]
        if glossary:
            raise UnknownScope(f"« {glossary[0]} » est le glossaire, imprimé avec chaque édition.")
        return [found[slug] for slug in self.sections], region


class Glossary:
    """Glossary terms found in running text, remembered to print only those used."""

    def __init__(self, terms: list[GlossaryTerm]):
        self.terms = terms
        self.by_term = {t.term: t for t in terms}
        self.acronyms = Acronyms.compile(terms, glossary_url="")
        self.used: set[str] = set()

    def segments(self, text: str) -> list:
        pattern = self.acronyms.pattern
        if not text or pattern is None:
            return [text] if text else []
        parts, position = [], 0
        for match in pattern.finditer(text):
            if match.group("term") is None:
                continue
            term = self.by_term[match.group("term")]
            if match.start() > position:
                parts.append(text[position : match.start()])
            segment = {"t": term.term, "k": term.anchor, "e": term.expansion}
            if text[match.start() - 1 : match.start()] == "(" and text[match.end() :][:1] == ")":
                segment["x"] = True  # "plateforme d’intermédiation (PFI)" explains itself
            parts.append(segment)
            self.used.add(term.term)
            position = match.end()
        if position < len(text):
            parts.append(text[position:])
        return parts

    def paragraphs(self, text: str) -> list[list]:
        return [self.segments(p.strip()) for p in text.split("\n\n") if p.strip()]


def edition_data(scope: Scope, edition: Edition | None = None, now: datetime | None = None):
    """The data of the edition of `scope`: the live one, or `edition` being published.

    The "Nouveautés" part compares with the latest published edition before
    `edition` (or before now, for the live PDF).
    """
    chosen, region = scope.resolve()
    now = now or timezone.now()
    pack = PackInfo.objects.order_by("pk").first()
    glossary = Glossary(list(GlossaryTerm.objects.order_by("order", "term")))
    sections = _sections_to_print(chosen)
    placements = _placements(sections, region)
    chapters = [_chapter(s, level, placements.get(s.pk, []), glossary) for s, level in sections]
    keys = {p.resource.key for items in placements.values() for p in items}
    previous = Edition.objects.defer("pdf").filter(published_at__lt=now)
    if edition is not None:
        previous = previous.filter(number__lt=edition.number)
    previous = previous.order_by("-number").first()
    news = None
    if previous is not None:
        changes = previous.changes_since(None if scope.is_full() else keys)
        news = _news(changes, glossary)
    title = pack.title if pack else "Sommaire"
    return {
        "title": f"{title} — sommaire de la documentation",
        "pack_title": title,
        "scope": _scope_label(chosen, region),
        "date": french_date(edition.published_at if edition else now),
        "number": edition.number if edition else None,
        "site_url": settings.SITE_URL,
        "intro": glossary.paragraphs(pack.intro) if pack else [],
        "news": news,
        "chapters": chapters,
        "glossary": [
            {"term": t.term, "k": t.anchor, "e": t.expansion, "definition": t.definition}
            for t in glossary.terms
            if scope.is_full() or t.term in glossary.used
        ],
    }


def _sections_to_print(chosen: list[Section]) -> list[tuple[Section, int]]:
    """Sections in tree order with their heading level; the chosen ones and all below them."""
    every = list(Section.objects.order_by("order", "slug"))
    children: dict[int | None, list[Section]] = {}
    for section in every:
        children.setdefault(section.parent_id, []).append(section)
    roots = chosen or [s for s in children.get(None, []) if not s.is_glossary]
    roots = sorted(roots, key=lambda s: (s.order, s.slug))
    found, seen = [], set()

    def walk(section: Section, level: int) -> None:
        # `seen` guards against a cycle and against a section chosen with its parent.
        if section.pk in seen or section.is_glossary:
            return
        seen.add(section.pk)
        found.append((section, level))
        for child in children.get(section.pk, []):
            walk(child, level + 1)

    for root in roots:
        walk(root, 1)
    return found


def _placements(sections, region: Region | None) -> dict[int, list[Placement]]:
    placements = (
        Placement.objects.filter(
            section__in=[s for s, _ in sections], resource__status=Resource.Status.ACTIVE
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
    if region is not None:
        placements = placements.filter(
            Q(resource__region__isnull=True) | Q(resource__region=region)
        )
    by_section: dict[int, list[Placement]] = {}
    for placement in placements:
        by_section.setdefault(placement.section_id, []).append(placement)
    return by_section


def _chapter(section: Section, level: int, placements: list[Placement], glossary: Glossary):
    groups: dict[str, list] = {}
    for placement in placements:
        groups.setdefault(placement.group, []).append(resource_entry(placement.resource, glossary))
    return {
        "slug": section.slug,
        "title": HOME_CHAPTER_TITLE if section.is_home else section.title,
        "kicker": section.heading,
        "level": level,
        "intro": glossary.paragraphs(section.intro),
        "groups": [{"title": title, "resources": items} for title, items in groups.items()],
    }


def resource_entry(resource: Resource, glossary: Glossary) -> dict:
    """A resource as the templates print it: linked title, kind, format, details, description."""
    return {
        "title": resource.title,
        "url": resource.url,
        "kind": resource.kind.label,
        "format": resource.format.label,
        "details": _details(resource),
        "description": glossary.segments(resource.description),
    }


def _details(resource: Resource) -> str:
    parts = [resource.publisher.short_name]
    if resource.profile:
        parts.append(resource.profile.label)
    if resource.wave:
        parts.append(resource.wave.label)
    if resource.version:
        parts.append(f"version {resource.version}")
    parts.append(resource.region.name if resource.region else "national")
    return " · ".join(parts)


def _news(changes: Changes, glossary: Glossary) -> dict:
    return {
        "since": french_date(changes.since),
        "added": [resource_entry(r, glossary) for r in changes.added],
        "replaced": [
            {"old": old.title, "new": resource_entry(new, glossary)}
            for old, new in changes.replaced
        ],
        "archived": [r.title for r in changes.archived] + changes.removed,
    }


def _scope_label(chosen: list[Section], region: Region | None) -> str:
    parts = []
    if chosen:
        parts.append(", ".join(s.title for s in chosen))
    if region is not None:
        parts.append(f"Région {region.name} et documentation nationale")
    return " — ".join(parts)
