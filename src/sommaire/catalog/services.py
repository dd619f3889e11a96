"""The catalog's public functions: what other apps and commands call.

`load_pack` writes a validated pack into the database in one transaction;
`dump_pack` writes the database back as a pack. dump -> load -> dump gives the
same bytes, because both sides follow the same order and the same defaults.
"""

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from sommaire.catalog.models import (
    CatalogEvent,
    Contact,
    Deadline,
    Format,
    GlossaryTerm,
    Kind,
    PackInfo,
    Placement,
    Publisher,
    Region,
    Resource,
    Section,
    SoftwareProfile,
    Wave,
)
from sommaire.catalog.pack import Pack, PackError, read_pack
from sommaire.catalog.validation import clean_text, problems, url_problem
from sommaire.search.services import dump_synonyms, load_synonyms
from sommaire.watch.services import dump_sources, load_sources

VOCABULARY_MODELS = {"kinds": Kind, "formats": Format, "profiles": SoftwareProfile, "waves": Wave}


@dataclass
class LoadReport:
    """What a load did, per kind of object: created, updated, unchanged."""

    counts: dict[str, Counter] = field(default_factory=dict)
    not_in_pack: dict[str, int] = field(default_factory=dict)

    def note(self, what: str, outcome: str) -> None:
        self.counts.setdefault(what, Counter())[outcome] += 1

    def changed(self) -> bool:
        return any(c["created"] or c["updated"] for c in self.counts.values())

    def as_dict(self) -> dict:
        return {
            "counts": {what: dict(c) for what, c in self.counts.items()},
            "not_in_pack": self.not_in_pack,
        }


PACK_CHANGE_REASON = "chargement du paquet de contenu"


def _upsert(model, lookup: dict, values: dict, stamp: str = "") -> tuple[object, str]:
    """Create or update one row; write only when a value differs.

    Writing nothing for an unchanged row is what keeps a second load out of
    the history. `stamp` names a date field set to now in the same save.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj._change_reason = PACK_CHANGE_REASON
        obj.save()
        return obj, "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    if stamp:
        setattr(obj, stamp, timezone.now())
        changed.append(stamp)
    obj._change_reason = PACK_CHANGE_REASON
    obj.save(update_fields=changed)
    return obj, "updated"


def load_pack_directory(directory: Path) -> LoadReport:
    return load_pack(read_pack(directory))


@transaction.atomic
def load_pack(pack: Pack) -> LoadReport:
    """Write a validated pack; on any error nothing is kept (one transaction)."""
    report = LoadReport()
    _check_url_owners(pack)
    _upsert(PackInfo, {"name": pack.name}, {"title": pack.title, "intro": pack.intro})
    terms = {}
    for name, model in VOCABULARY_MODELS.items():
        terms[name] = {}
        for order, term in enumerate(pack.vocabularies[name], start=1):
            values = {"label": term.label, "description": term.description, "order": order}
            obj, outcome = _upsert(model, {"slug": term.slug}, values)
            terms[name][term.slug] = obj
            report.note(name, outcome)
    publishers = {}
    for order, item in enumerate(pack.publishers, start=1):
        values = {"name": item.name, "short_name": item.short_name, "url": item.url, "order": order}
        publishers[item.slug], outcome = _upsert(Publisher, {"slug": item.slug}, values)
        report.note("publishers", outcome)
    regions = {}
    for order, item in enumerate(pack.regions, start=1):
        values = {"name": item.name, "insee": item.insee, "iso": item.iso, "order": order}
        regions[item.code], outcome = _upsert(Region, {"code": item.code}, values)
        report.note("regions", outcome)
    sections = {}
    for order, item in enumerate(pack.sections, start=1):
        values = {
            "title": item.title,
            "parent": sections.get(item.parent),
            "heading": item.heading,
            "intro": item.intro,
            "is_home": item.home,
            "is_glossary": item.glossary,
            "order": order,
        }
        sections[item.slug], outcome = _upsert(Section, {"slug": item.slug}, values)
        report.note("sections", outcome)
    statuses_before = dict(Resource.objects.values_list("key", "status"))
    for item in pack.resources:
        _load_resource(item, terms, publishers, regions, sections, report)
    _record_events(pack, statuses_before)
    for order, item in enumerate(pack.glossary, start=1):
        values = {
            "expansion": item.expansion,
            "definition": item.definition,
            "lang": item.lang,
            "order": order,
        }
        _, outcome = _upsert(GlossaryTerm, {"term": item.term}, values)
        report.note("glossary", outcome)
    for order, item in enumerate(pack.contacts, start=1):
        _load_contact(item, order, regions, sections, report)
    for order, item in enumerate(pack.deadlines, start=1):
        values = {
            "section": sections[item.section],
            "wave": terms["waves"][item.wave],
            "label": item.label,
            "date": item.date,
            "time": item.time,
            "source": item.source,
            "order": order,
        }
        _, outcome = _upsert(Deadline, {"slug": item.slug}, values, stamp="changed_at")
        report.note("deadlines", outcome)
    report.note("synonyms", load_synonyms([(s.words, s.means) for s in pack.synonyms]))
    for outcome in load_sources(pack.sources):
        report.note("sources", outcome)
    report.not_in_pack = {
        "resources": Resource.objects.exclude(key__in=[r.key for r in pack.resources]).count(),
        "sections": Section.objects.exclude(slug__in=[s.slug for s in pack.sections]).count(),
    }
    return report


def _load_contact(item, order: int, regions, sections, report: LoadReport) -> None:
    skipped = ("region", "name", "sections")
    values = {k: v for k, v in asdict(item).items() if k not in skipped}
    values["order"] = order
    lookup = {"region": regions.get(item.region), "name": item.name}
    contact, outcome = _upsert(Contact, lookup, values)
    wanted = {sections[slug].pk for slug in item.sections}
    if set(contact.sections.values_list("pk", flat=True)) != wanted:
        contact.sections.set(wanted)
        outcome = "updated" if outcome == "unchanged" else outcome
    report.note("contacts", outcome)


def _check_url_owners(pack: Pack) -> None:
    """Refuse a pack whose URL is already held by a resource the pack does not define."""
    keys = {r.key for r in pack.resources}
    by_url = {r.url: r for r in pack.resources}
    taken = Resource.objects.filter(url__in=by_url).exclude(key__in=keys)
    problems = [
        f"resources/{by_url[r.url].placements[0].section}.yaml: url: {r.url} already belongs "
        f"to the resource {r.key!r} of the database: reuse its key or drop the duplicate"
        for r in taken
    ]
    if problems:
        raise PackError(problems)


def _load_resource(item, terms, publishers, regions, sections, report: LoadReport) -> None:
    values = {
        "title": item.title,
        "url": item.url,
        "kind": terms["kinds"][item.kind],
        "format": terms["formats"][item.format],
        "publisher": publishers[item.publisher],
        "profile": terms["profiles"].get(item.profile),
        "wave": terms["waves"].get(item.wave),
        "version": item.version,
        "region": regions.get(item.region),
        "description": item.description,
        "status": item.status,
    }
    resource, outcome = _upsert(Resource, {"key": item.key}, values, stamp="changed_at")
    wanted = {p.section: p for p in item.placements}
    stored = resource.placements.select_related("section")
    placement_changed = {p.section.slug: (p.group, p.order) for p in stored} != {
        slug: (p.group, p.order) for slug, p in wanted.items()
    }
    if outcome == "unchanged" and placement_changed:
        # Placements are part of the resource: moving them moves its revision,
        # before they are written, so an editor's form opened earlier gets a
        # conflict (and the placements' history says what they saw).
        resource.changed_at = timezone.now()
        resource._change_reason = PACK_CHANGE_REASON
        resource.save(update_fields=["changed_at"])
        outcome = "updated"
    for placement in stored:
        if placement.section.slug not in wanted:
            placement.delete()
    for slug, p in wanted.items():
        _upsert(
            Placement,
            {"resource": resource, "section": sections[slug]},
            {"group": p.group, "order": p.order},
        )
    report.note("resources", outcome)


def _record_events(pack: Pack, statuses_before: dict[str, str]) -> None:
    """News for readers: resources a pack adds or archives.

    The first load into an empty catalog is the baseline, not news: the
    whole sommaire would otherwise read as published today.
    """
    if not statuses_before:
        return
    archived = Resource.Status.ARCHIVED
    added = [r.key for r in pack.resources if r.key not in statuses_before]
    gone = [
        r.key
        for r in pack.resources
        if r.status == archived and statuses_before.get(r.key, archived) != archived
    ]
    for kind, keys in ((CatalogEvent.Kind.ADDED, added), (CatalogEvent.Kind.ARCHIVED, gone)):
        for resource in Resource.objects.filter(key__in=keys):
            CatalogEvent.record(kind, resource)


# --- edits by jobs ------------------------------------------------------------


def change_resource_url(resource: Resource, new_url: str, user=None, reason: str = "") -> Resource:
    """Move a resource to a new address on purpose (an accepted permanent redirect).

    Unlike the link checker's own columns, the URL is an editor field: this
    write moves the revision forward, so an editor whose form still shows the
    old address gets a conflict instead of silently undoing the change, and it
    is kept in the history with `user` and `reason`. Only the URL and the
    change date are written, never the rest of a possibly stale row.
    """
    problem = url_problem(new_url)
    if problem:
        raise ValueError(f"{new_url!r} {problem}")
    with transaction.atomic():
        # Re-read under a row lock: the history records the whole row, and the
        # caller's copy may be older than an editor's latest save.
        fresh = Resource.objects.select_for_update().get(pk=resource.pk)
        fresh.url = new_url
        fresh.changed_at = timezone.now()
        fresh._history_user = user
        fresh._change_reason = reason or "nouvelle adresse"
        fresh.save(update_fields=["url", "changed_at"])
    return fresh


def archive_resource(resource: Resource, user=None, reason: str = "") -> Resource:
    """Take a resource out of the sommaire without deleting it, kept in the history.

    Like a URL change, archiving is an editor's decision: the revision moves
    forward, readers see "archivée" in what's new, and only the status and
    the change date are written.
    """
    with transaction.atomic():
        fresh = Resource.objects.select_for_update().get(pk=resource.pk)
        if fresh.is_archived():
            return fresh
        fresh.status, fresh.changed_at = Resource.Status.ARCHIVED, timezone.now()
        fresh._history_user = user
        fresh._change_reason = reason or "archivée"
        fresh.save(update_fields=["status", "changed_at"])
        CatalogEvent.record(CatalogEvent.Kind.ARCHIVED, fresh)
    return fresh


def add_resource(
    url: str,
    section: Section,
    title: str,
    kind: Kind | None = None,
    publisher: Publisher | None = None,
    region: Region | None = None,
    group: str = "",
    reason: str = "ajout en ligne de commande",
) -> tuple[Resource, bool]:
    """Add a resource at the end of a section; (resource, created).

    An address already in the catalog is left as it is: (that resource,
    False), so a script that runs twice adds once. The kind, the format and
    the publisher not given are guessed from the address as the watcher
    does (`sommaire.watch.conventions`), with the profile, the wave and the
    version; ValueError says what is missing.
    """
    from sommaire.watch.conventions import Vocabulary, guess

    title, group = clean_text(title), clean_text(group)
    existing = Resource.objects.filter(url=url).first()
    if existing is not None:
        return existing, False
    problem = url_problem(url)
    if problem:
        raise ValueError(f"{url} : {problem}")
    terms = {
        name: set(model.objects.values_list("slug", flat=True))
        for name, model in VOCABULARY_MODELS.items()
    }
    guessed = guess(url, title, Vocabulary(**terms))
    kind = kind or Kind.objects.filter(slug=guessed.kind).first()
    if kind is None:
        raise ValueError(
            f"cannot guess the kind of {url}: give one of {', '.join(sorted(terms['kinds']))}"
        )
    publisher = publisher or _publisher_of(url)
    if publisher is None:
        raise ValueError(f"cannot guess the publisher of {url}: give its slug")
    now = timezone.now()
    with transaction.atomic():
        resource = Resource(
            key=free_key(title),
            title=title,
            url=url,
            kind=kind,
            format=Format.objects.get(slug=guessed.format or "page-web"),
            publisher=publisher,
            profile=SoftwareProfile.objects.filter(slug=guessed.profile).first(),
            wave=Wave.objects.filter(slug=guessed.wave).first(),
            version=guessed.version,
            region=region,
            added_at=now,
            changed_at=now,
        )
        refused = problems(resource)
        if refused:
            raise ValueError("; ".join(f"{name} : {why}" for name, why in refused.items()))
        resource._change_reason = reason
        resource.save()
        last = Placement.objects.filter(section=section).order_by("-order").first()
        Placement.objects.create(
            resource=resource, section=section, group=group, order=(last.order if last else 0) + 1
        )
        CatalogEvent.record(CatalogEvent.Kind.ADDED, resource)
    return resource, True


def _publisher_of(url: str) -> Publisher | None:
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    for publisher in Publisher.objects.exclude(url=""):
        if (urlsplit(publisher.url).hostname or "").removeprefix("www.") == host:
            return publisher
    return None


def free_key(title: str) -> str:
    """A key no resource holds yet, from a title: "guide-ins", else "guide-ins-2"..."""
    base = slugify(title)[:90].strip("-") or "ressource"
    key, number = base, 1
    while Resource.objects.filter(key=key).exists():
        number += 1
        key = f"{base}-{number}"
    return key


# --- dump -------------------------------------------------------------------


class _PackDumper(yaml.SafeDumper):
    """Block style, multi-line text as literal blocks, no line folding."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):
        # The loader refuses aliases: never write one, even for a shared list.
        return True


def _represent_str(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_PackDumper.add_representer(str, _represent_str)


def _yaml(data) -> str:
    return yaml.dump(
        data,
        Dumper=_PackDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=4096,
    )


def _compact(mapping: dict) -> dict:
    """Drop empty optional fields, as a hand-written pack would."""
    return {k: v for k, v in mapping.items() if v not in ("", None, False, [])}


def dump_pack(directory: Path) -> dict[str, int]:
    """Write the whole catalog as a pack into `directory`; return counts."""
    directory = Path(directory)
    (directory / "resources").mkdir(parents=True, exist_ok=True)
    files = {
        "pack.yaml": _dump_meta(),
        "vocabulary.yaml": {
            name: [
                _compact({"slug": t.slug, "label": t.label, "description": t.description})
                for t in model.objects.order_by("order", "slug")
            ]
            for name, model in VOCABULARY_MODELS.items()
        },
        "publishers.yaml": [
            _compact({"slug": p.slug, "name": p.name, "short_name": p.short_name, "url": p.url})
            for p in Publisher.objects.order_by("order", "slug")
        ],
        "regions.yaml": [
            {"code": r.code, "name": r.name, "insee": r.insee, "iso": r.iso}
            for r in Region.objects.order_by("order", "code")
        ],
        "sections.yaml": [_dump_section(s) for s in _sections_in_order()],
        "glossary.yaml": [
            _compact(
                {
                    "term": t.term,
                    "expansion": t.expansion,
                    "definition": t.definition,
                    "lang": t.lang,
                }
            )
            for t in GlossaryTerm.objects.order_by("order", "term")
        ],
        "contacts.yaml": _dump_contacts(),
        "deadlines.yaml": _dump_deadlines(),
        "synonyms.yaml": dump_synonyms(),
        "sources.yaml": dump_sources(),
    }
    for name, data in files.items():
        (directory / name).write_text(_yaml(data), encoding="utf-8")
    written = _dump_resources(directory / "resources")
    return {"sections": len(files["sections.yaml"]), "resources": written}


def _dump_contacts() -> list[dict]:
    contacts = Contact.objects.select_related("region").prefetch_related("sections")
    return [
        _compact(
            {
                "region": c.region.code if c.region else "",
                "name": c.name,
                "organisation": c.organisation,
                "role": c.role,
                "questions": c.questions,
                "email": c.email,
                "phone": c.phone,
                "url": c.url,
                "source": c.source,
                "sections": [s.slug for s in sorted(c.sections.all(), key=_tree_order)],
            }
        )
        for c in contacts.order_by("order", "pk")
    ]


def _tree_order(section: Section) -> tuple:
    return (section.order, section.slug)


def _dump_deadlines() -> list[dict]:
    deadlines = Deadline.objects.select_related("section", "wave").order_by("order", "slug")
    return [
        _compact(
            {
                "slug": d.slug,
                "section": d.section.slug,
                "wave": d.wave.slug,
                "label": d.label,
                "date": d.date.isoformat(),
                "time": d.time.strftime("%H:%M") if d.time else "",
                "source": d.source,
            }
        )
        for d in deadlines
    ]


def _dump_meta() -> dict:
    info = PackInfo.objects.order_by("pk").first()
    if info is None:
        return {"name": "catalogue", "title": "Catalogue"}
    return _compact({"name": info.name, "title": info.title, "intro": info.intro})


def _sections_in_order() -> list[Section]:
    return list(Section.objects.select_related("parent").order_by("order", "slug"))


def _dump_section(section: Section) -> dict:
    return _compact(
        {
            "slug": section.slug,
            "title": section.title,
            "parent": section.parent.slug if section.parent else "",
            "heading": section.heading,
            "intro": section.intro,
            "home": section.is_home,
            "glossary": section.is_glossary,
        }
    )


def _dump_resources(folder: Path) -> int:
    for stale in folder.glob("*.yaml"):
        stale.unlink()
    placements = Placement.objects.select_related(
        "section",
        "resource__kind",
        "resource__format",
        "resource__publisher",
        "resource__profile",
        "resource__wave",
        "resource__region",
    ).order_by("section__order", "section__slug", "order", "pk")
    by_section: dict[str, list[dict]] = {}
    defined: set[int] = set()
    for placement in placements:
        resource = placement.resource
        entries = by_section.setdefault(placement.section.slug, [])
        if resource.pk in defined:
            entries.append(_compact({"ref": resource.key, "group": placement.group}))
            continue
        defined.add(resource.pk)
        entries.append(_dump_resource(resource, placement.group))
    for slug, entries in by_section.items():
        (folder / f"{slug}.yaml").write_text(_yaml(entries), encoding="utf-8")
    return len(defined)


def _dump_resource(resource: Resource, group: str) -> dict:
    return _compact(
        {
            "key": resource.key,
            "title": resource.title,
            "url": resource.url,
            "group": group,
            "kind": resource.kind.slug,
            "format": resource.format.slug,
            "publisher": resource.publisher.slug,
            "profile": resource.profile.slug if resource.profile else "",
            "wave": resource.wave.slug if resource.wave else "",
            "version": resource.version,
            "region": resource.region.code if resource.region else "",
            "description": resource.description,
            "status": "" if resource.status == Resource.Status.ACTIVE else resource.status,
        }
    )
