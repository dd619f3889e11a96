"""Content packs: the catalog as YAML files, reviewed like code.

`read_pack(directory)` parses and validates a pack without touching the
database and raises `PackError` with every problem found, each written as
`file:line: field: what to fix`. `services.load_pack` and
`services.dump_pack` move a validated pack in and out of the database.

Layout of a pack directory:

    pack.yaml         name, title, intro
    vocabulary.yaml   kinds, formats, profiles, waves
    publishers.yaml   regions.yaml   sections.yaml   glossary.yaml   contacts.yaml
    deadlines.yaml    optional: dates readers must not miss, each with its official source
    resources/<section-slug>.yaml   the placements of one section, in order
    synonyms.yaml     optional: words readers use for one another, for search
    sources.yaml      optional: official pages to watch for new publications
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from sommaire.catalog.validation import (
    EMAIL_RE,
    clean_text,
    shown,
    text_problem,
    url_problem,
)

VOCABULARIES = ("kinds", "formats", "profiles", "waves")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REGION_CODE_RE = re.compile(r"^[A-Z]{3}$")
STATUSES = ("active", "archived")


# A pack file is read whole before YAML parses it: a larger one is refused
# before it costs memory (the Ségur pack's largest file is 18 KB).
MAX_FILE_BYTES = 10 * 2**20


class PackError(Exception):
    """A pack that cannot be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class PackTerm:
    slug: str
    label: str
    description: str = ""


@dataclass
class PackPublisher:
    slug: str
    name: str
    short_name: str
    url: str = ""


@dataclass
class PackRegion:
    code: str
    name: str
    insee: str
    iso: str


@dataclass
class PackSection:
    slug: str
    title: str
    parent: str = ""
    heading: str = ""
    intro: str = ""
    home: bool = False
    glossary: bool = False


@dataclass
class PackPlacement:
    section: str
    group: str
    order: int


@dataclass
class PackResource:
    key: str
    title: str
    url: str
    kind: str
    format: str
    publisher: str
    profile: str = ""
    wave: str = ""
    version: str = ""
    region: str = ""
    description: str = ""
    status: str = "active"
    placements: list[PackPlacement] = field(default_factory=list)


@dataclass
class PackGlossaryTerm:
    term: str
    expansion: str
    definition: str = ""
    lang: str = ""


@dataclass
class PackContact:
    """A regional contact (`region`) or a national one answering for `sections`."""

    name: str
    source: str
    region: str = ""
    organisation: str = ""
    role: str = ""
    questions: str = ""
    email: str = ""
    phone: str = ""
    url: str = ""
    sections: list[str] = field(default_factory=list)


@dataclass
class PackDeadline:
    """A dated step of a section and a wave, with the official page that states it."""

    slug: str
    section: str
    wave: str
    label: str
    date: dt.date
    source: str
    time: dt.time | None = None


@dataclass
class PackSynonym:
    """Two-way (`words` all equivalent, `means` empty) or one-way (one word, its `means`)."""

    words: list[str]
    means: list[str] = field(default_factory=list)


@dataclass
class PackSource:
    """An official page to watch: its section, the part that matters, how often."""

    url: str
    section: str
    selector: str = ""
    interval: str = ""
    region: str = ""


@dataclass
class Pack:
    name: str
    title: str
    intro: str
    vocabularies: dict[str, list[PackTerm]]
    publishers: list[PackPublisher]
    regions: list[PackRegion]
    sections: list[PackSection]
    resources: list[PackResource]
    glossary: list[PackGlossaryTerm]
    contacts: list[PackContact]
    synonyms: list[PackSynonym] = field(default_factory=list)
    sources: list[PackSource] = field(default_factory=list)
    deadlines: list[PackDeadline] = field(default_factory=list)


# --- YAML with line numbers -------------------------------------------------


class _Mapping(dict):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 0
    lines: dict


class _LineLoader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        # An alias repeats what its anchor holds: nine nested lists of ten
        # aliases make a kilobyte a billion values. Refused as it is met, before
        # anything is expanded, and the message quotes none of it.
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None,
                None,
                "aliases (*name) are not allowed in a pack: write each value out",
                self.peek_event().start_mark,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep)
        mapping = _Mapping()
        mapping.line = node.start_mark.line + 1
        mapping.lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {shown(key)}: each field may appear once per entry",
                    key_node.start_mark,
                )
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.lines[key] = key_node.start_mark.line + 1
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)


# --- field checking ---------------------------------------------------------


@dataclass(frozen=True)
class Field:
    required: bool = False
    kind: type = str
    max_length: int = 0
    multiline: bool = False


class _Reader:
    """Collects problems while reading one pack; never stops at the first."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.problems: list[str] = []

    def problem(self, path: Path, line: int, field_name: str, message: str) -> None:
        name = path.relative_to(self.directory).as_posix()
        self.problems.append(f"{name}:{line}: {field_name}: {message}")

    def load(self, name: str, required: bool = True) -> Any:
        path = self.directory / name
        if not path.exists():
            if required:
                self.problem(path, 0, "(fichier)", "file missing: every pack has one")
            return None
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            self.problem(
                path,
                0,
                "(fichier)",
                f"file too large ({size / 2**20:.1f} MiB, at most {MAX_FILE_BYTES // 2**20} MiB):"
                " split it into several files",
            )
            return None
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            self.problem(path, 1, "(fichier)", f"not UTF-8 ({error.reason}): save it as UTF-8")
            return None
        try:
            return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - safe loader subclass
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark else 0
            what = getattr(error, "problem", None) or str(error)
            self.problem(path, line, "(yaml)", f"{what}: fix the YAML syntax")
            return None

    def entries(self, path: Path, data: Any, what: str) -> list[_Mapping]:
        """The list of mappings a file (or a key of it) must hold."""
        if data is None:
            return []
        if not isinstance(data, list):
            line = getattr(data, "line", 1)
            self.problem(path, line, "(liste)", f"expected a list of {what}, one '- ' per entry")
            return []
        good = []
        for item in data:
            if isinstance(item, _Mapping):
                good.append(item)
            else:
                self.problem(
                    path, 0, "(entrée)", f"expected a {what} with fields, got {shown(item)}"
                )
        return good

    def fields(self, path: Path, entry: _Mapping, spec: dict[str, Field]) -> dict[str, Any]:
        """Check an entry against its spec; return the values that passed."""
        values: dict[str, Any] = {}
        for name in entry:
            if name not in spec:
                known = ", ".join(spec)
                self.problem(path, entry.lines[name], str(name), f"unknown field; known: {known}")
        for name, rule in spec.items():
            line = entry.lines.get(name, entry.line)
            value = entry.get(name)
            if value is None or value == "":
                if rule.required:
                    self.problem(path, line, name, "missing: this field is required")
                continue
            if rule.kind is bool:
                if not isinstance(value, bool):
                    self.problem(path, line, name, "write true or false")
                    continue
            elif rule.kind is list:
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    self.problem(path, line, name, "expected a list of words: [a, b]")
                    continue
                value = [v.strip() for v in value]
            elif not isinstance(value, str):
                self.problem(path, line, name, f"{shown(value)} is not text: put it in quotes")
                continue
            else:
                value = clean_text(value, rule.multiline)
                problem = text_problem(value, rule.max_length)
                if problem:
                    self.problem(path, line, name, problem)
                    continue
            values[name] = value
        return values

    def unique(self, path: Path, entry: _Mapping, name: str, value: str, seen: dict) -> bool:
        if value in seen:
            self.problem(
                path,
                entry.lines.get(name, entry.line),
                name,
                f"duplicate {shown(value)}, already at {seen[value]}: each must be unique",
            )
            return False
        seen[value] = f"{path.relative_to(self.directory).as_posix()}:{entry.line}"
        return True

    def slug(self, path: Path, entry: _Mapping, name: str, value: str) -> bool:
        if SLUG_RE.match(value):
            return True
        self.problem(
            path,
            entry.lines.get(name, entry.line),
            name,
            f"{shown(value)} is not a valid identifier: use lower-case letters, digits and hyphens",
        )
        return False

    def reference(self, path, entry, name: str, value: str, known, what: str) -> bool:
        if not value or value in known:
            return True
        choices = ", ".join(sorted(known)) if len(known) <= 30 else f"{len(known)} declared"
        self.problem(
            path,
            entry.lines.get(name, entry.line),
            name,
            f"unknown {what} {shown(value)}; declared: {choices}",
        )
        return False


def path_taken_by(slug: str) -> str:
    """What already answers at /<slug>/ other than a section page, or ''.

    A section's slug is its page path; a slug such as `recherche` or
    `gestion` would hide the section behind a fixed page of the site.
    """
    from django.urls import Resolver404, resolve

    try:
        match = resolve(f"/{slug}/")
    except Resolver404:
        return ""
    if match.view_name == "public:section":
        return ""
    return f"the page {shown(match.view_name)}"


# --- the pack ---------------------------------------------------------------

TERM_SPEC = {
    "slug": Field(True, max_length=60),
    "label": Field(True, max_length=120),
    "description": Field(max_length=300),
}
PUBLISHER_SPEC = {
    "slug": Field(True, max_length=60),
    "name": Field(True, max_length=200),
    "short_name": Field(True, max_length=60),
    "url": Field(max_length=500),
}
REGION_SPEC = {
    "code": Field(True),
    "name": Field(True, max_length=100),
    "insee": Field(True),
    "iso": Field(True),
}
SECTION_SPEC = {
    "slug": Field(True, max_length=60),
    "title": Field(True, max_length=200),
    "parent": Field(),
    "heading": Field(max_length=120),
    "intro": Field(multiline=True),
    "home": Field(kind=bool),
    "glossary": Field(kind=bool),
}
RESOURCE_SPEC = {
    "key": Field(True, max_length=100),
    "title": Field(True, max_length=300),
    "url": Field(True, max_length=2000),
    "group": Field(max_length=200),
    "kind": Field(True),
    "format": Field(True),
    "publisher": Field(True),
    "profile": Field(),
    "wave": Field(),
    "version": Field(max_length=40),
    "region": Field(),
    "description": Field(multiline=True),
    "status": Field(),
}
REF_SPEC = {"ref": Field(True), "group": Field(max_length=200)}
GLOSSARY_SPEC = {
    "term": Field(True, max_length=40),
    "expansion": Field(True, max_length=300),
    "definition": Field(multiline=True),
    "lang": Field(max_length=10),
}
CONTACT_SPEC = {
    "region": Field(),
    "name": Field(True, max_length=200),
    "organisation": Field(max_length=200),
    "role": Field(max_length=200),
    "questions": Field(multiline=True),
    "email": Field(max_length=254),
    "phone": Field(max_length=40),
    "url": Field(max_length=500),
    "source": Field(True, max_length=2000),
    "sections": Field(kind=list),
}
DEADLINE_SPEC = {
    "slug": Field(True, max_length=100),
    "section": Field(True),
    "wave": Field(True),
    "label": Field(True, max_length=300),
    "date": Field(True),
    "time": Field(),
    "source": Field(True, max_length=2000),
}
PACK_SPEC = {
    "name": Field(True, max_length=60),
    "title": Field(True, max_length=200),
    "intro": Field(multiline=True),
}


def read_pack(directory: Path) -> Pack:
    """Parse and validate a whole pack; raise PackError listing every problem."""
    directory = Path(directory)
    if not directory.is_dir():
        raise PackError([f"{directory}: not a directory: give the folder that holds pack.yaml"])
    reader = _Reader(directory)
    meta = _read_meta(reader)
    vocabularies = _read_vocabularies(reader)
    publishers = _read_publishers(reader)
    regions = _read_regions(reader)
    sections = _read_sections(reader)
    resources = _read_resources(reader, sections, vocabularies, publishers, regions)
    glossary = _read_glossary(reader)
    contacts = _read_contacts(reader, regions, sections)
    synonyms = _read_synonyms(reader)
    sources = _read_sources(reader, sections, regions)
    deadlines = _read_deadlines(reader, sections, vocabularies)
    if reader.problems:
        raise PackError(reader.problems)
    return Pack(
        name=meta.get("name", ""),
        title=meta.get("title", ""),
        intro=meta.get("intro", ""),
        vocabularies=vocabularies,
        publishers=publishers,
        regions=regions,
        sections=sections,
        resources=resources,
        glossary=glossary,
        contacts=contacts,
        synonyms=synonyms,
        sources=sources,
        deadlines=deadlines,
    )


def _read_meta(reader: _Reader) -> dict:
    path = reader.directory / "pack.yaml"
    data = reader.load("pack.yaml")
    if data is None:
        return {}
    if not isinstance(data, _Mapping):
        reader.problem(path, 1, "(pack)", "expected the fields name, title and intro")
        return {}
    values = reader.fields(path, data, PACK_SPEC)
    if "name" in values:
        reader.slug(path, data, "name", values["name"])
    return values


def _read_vocabularies(reader: _Reader) -> dict[str, list[PackTerm]]:
    path = reader.directory / "vocabulary.yaml"
    data = reader.load("vocabulary.yaml")
    result: dict[str, list[PackTerm]] = {name: [] for name in VOCABULARIES}
    if data is None:
        return result
    if not isinstance(data, _Mapping):
        reader.problem(path, 1, "(vocabulaire)", f"expected the lists {', '.join(VOCABULARIES)}")
        return result
    for name in data:
        if name not in VOCABULARIES:
            reader.problem(
                path,
                data.lines[name],
                name,
                f"unknown vocabulary; known: {', '.join(VOCABULARIES)}",
            )
    for name in VOCABULARIES:
        seen: dict = {}
        for entry in reader.entries(path, data.get(name), f"{name} entry"):
            values = reader.fields(path, entry, TERM_SPEC)
            if "slug" not in values or "label" not in values:
                continue
            if reader.slug(path, entry, "slug", values["slug"]) and reader.unique(
                path, entry, "slug", values["slug"], seen
            ):
                result[name].append(PackTerm(**values))
    return result


def _read_publishers(reader: _Reader) -> list[PackPublisher]:
    path = reader.directory / "publishers.yaml"
    result, seen = [], {}
    for entry in reader.entries(path, reader.load("publishers.yaml"), "publisher"):
        values = reader.fields(path, entry, PUBLISHER_SPEC)
        if not {"slug", "name", "short_name"} <= values.keys():
            continue
        if values.get("url") and url_problem(values["url"]):
            reader.problem(path, entry.lines["url"], "url", url_problem(values["url"]))
            continue
        if reader.slug(path, entry, "slug", values["slug"]) and reader.unique(
            path, entry, "slug", values["slug"], seen
        ):
            result.append(PackPublisher(**values))
    return result


def _read_regions(reader: _Reader) -> list[PackRegion]:
    path = reader.directory / "regions.yaml"
    result, seen = [], {}
    for entry in reader.entries(path, reader.load("regions.yaml"), "region"):
        values = reader.fields(path, entry, REGION_SPEC)
        if len(values) < 4:
            continue
        if not REGION_CODE_RE.match(values["code"]):
            reader.problem(
                path,
                entry.lines["code"],
                "code",
                f"{shown(values['code'])}: a region code is three capital letters (OCC)",
            )
            continue
        if not re.match(r"^\d{2}$", values["insee"]):
            reader.problem(
                path,
                entry.lines["insee"],
                "insee",
                f'{shown(values["insee"])}: the INSEE code has two digits, in quotes ("76")',
            )
            continue
        if reader.unique(path, entry, "code", values["code"], seen):
            result.append(PackRegion(**values))
    return result


def _read_sections(reader: _Reader) -> list[PackSection]:
    path = reader.directory / "sections.yaml"
    result: list[PackSection] = []
    seen: dict = {}
    for entry in reader.entries(path, reader.load("sections.yaml"), "section"):
        values = reader.fields(path, entry, SECTION_SPEC)
        if "slug" not in values or "title" not in values:
            continue
        if not reader.slug(path, entry, "slug", values["slug"]):
            continue
        taken = path_taken_by(values["slug"])
        if taken and not (values.get("home") or values.get("glossary")):
            reader.problem(
                path,
                entry.lines["slug"],
                "slug",
                f"{shown(values['slug'])} is the address of {taken}: choose another slug",
            )
            continue
        parent = values.get("parent", "")
        if parent and parent not in seen:
            reader.problem(
                path,
                entry.lines["parent"],
                "parent",
                f"unknown section {shown(parent)}: declare the parent above its children",
            )
            continue
        if reader.unique(path, entry, "slug", values["slug"], seen):
            result.append(PackSection(**values))
    for flag in ("home", "glossary"):
        flagged = [s.slug for s in result if getattr(s, flag)]
        if len(flagged) > 1:
            reader.problem(path, 0, flag, f"only one section may be the {flag}: {flagged}")
    return result


def _read_resources(reader, sections, vocabularies, publishers, regions) -> list[PackResource]:
    known = {
        "kind": {t.slug for t in vocabularies["kinds"]},
        "format": {t.slug for t in vocabularies["formats"]},
        "profile": {t.slug for t in vocabularies["profiles"]},
        "wave": {t.slug for t in vocabularies["waves"]},
        "publisher": {p.slug for p in publishers},
        "region": {r.code for r in regions},
    }
    folder = reader.directory / "resources"
    section_slugs = [s.slug for s in sections]
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".yaml", ".yml") or path.stem not in section_slugs:
                reader.problem(
                    path,
                    0,
                    "(fichier)",
                    "name each file after a declared section: <section-slug>.yaml",
                )
    resources: dict[str, PackResource] = {}
    seen_keys: dict = {}
    seen_urls: dict = {}
    for slug in section_slugs:
        path = folder / f"{slug}.yaml"
        if not path.exists():
            continue
        data = reader.load(f"resources/{slug}.yaml")
        for order, entry in enumerate(reader.entries(path, data, "resource or ref"), start=1):
            if "ref" in entry:
                _read_ref(reader, path, entry, slug, order, resources)
                continue
            values = reader.fields(path, entry, RESOURCE_SPEC)
            if not {"key", "title", "url", "kind", "format", "publisher"} <= values.keys():
                continue
            ok = reader.slug(path, entry, "key", values["key"])
            problem = url_problem(values["url"])
            if problem:
                reader.problem(path, entry.lines["url"], "url", problem)
                ok = False
            for name, choices in known.items():
                ok &= reader.reference(path, entry, name, values.get(name, ""), choices, name)
            status = values.get("status", "active")
            if status not in STATUSES:
                reader.problem(
                    path,
                    entry.lines["status"],
                    "status",
                    f"{shown(status)}: write active or archived",
                )
                ok = False
            if not ok:
                continue
            if not reader.unique(path, entry, "key", values["key"], seen_keys):
                continue
            if not reader.unique(path, entry, "url", values["url"], seen_urls):
                continue
            group = values.pop("group", "")
            resource = PackResource(**values)
            resource.placements.append(PackPlacement(slug, group, order))
            resources[resource.key] = resource
    return list(resources.values())


def _read_ref(reader, path, entry, section: str, order: int, resources: dict) -> None:
    values = reader.fields(path, entry, REF_SPEC)
    key = values.get("ref")
    if not key:
        return
    resource = resources.get(key)
    if resource is None:
        reader.problem(
            path,
            entry.lines["ref"],
            "ref",
            f"unknown resource {shown(key)}: define it (with key:) in an earlier section",
        )
        return
    if any(p.section == section for p in resource.placements):
        reader.problem(
            path,
            entry.lines["ref"],
            "ref",
            f"{shown(key)} is already placed in this section: list it once",
        )
        return
    resource.placements.append(PackPlacement(section, values.get("group", ""), order))


def _read_glossary(reader: _Reader) -> list[PackGlossaryTerm]:
    path = reader.directory / "glossary.yaml"
    result, seen = [], {}
    for entry in reader.entries(path, reader.load("glossary.yaml"), "glossary term"):
        values = reader.fields(path, entry, GLOSSARY_SPEC)
        if {"term", "expansion"} <= values.keys() and reader.unique(
            path, entry, "term", values["term"], seen
        ):
            result.append(PackGlossaryTerm(**values))
    return result


def _web_address_problem(url: str) -> str:
    problem = url_problem(url)
    if not problem and not url.lower().startswith(("http://", "https://")):
        problem = "give the address of a web page (http or https)"
    return problem


def _read_contacts(reader: _Reader, regions: list[PackRegion], sections) -> list[PackContact]:
    """contacts.yaml: regional contacts (region:) and national ones (sections:), each
    with the official page it was found on (source:), so nobody adds a guess."""
    path = reader.directory / "contacts.yaml"
    codes = {r.code for r in regions}
    slugs = {s.slug for s in sections}
    result, seen = [], {}
    for entry in reader.entries(path, reader.load("contacts.yaml", required=False), "contact"):
        values = reader.fields(path, entry, CONTACT_SPEC)
        if not {"name", "source"} <= values.keys():
            continue
        if not reader.reference(path, entry, "region", values.get("region", ""), codes, "region"):
            continue
        unknown = [s for s in values.get("sections", []) if s not in slugs]
        checks = [
            ("email", values.get("email") and not EMAIL_RE.match(values["email"])),
            ("url", values.get("url") and url_problem(values["url"])),
            ("source", _web_address_problem(values["source"])),
            ("sections", unknown and f"unknown section(s) {', '.join(unknown)}"),
        ]
        if not values.get("region") and not values.get("sections"):
            checks.append(
                ("sections", "a national contact (no region) lists the sections it answers for")
            )
        ok = True
        for name, message in checks:
            if message:
                message = "not an e-mail address" if message is True else message
                reader.problem(path, entry.lines.get(name, entry.line), name, message)
                ok = False
        key = f"{values.get('region', '')}/{values['name']}"
        if ok and reader.unique(path, entry, "name", key, seen):
            result.append(PackContact(**values))
    return result


def _read_deadlines(reader: _Reader, sections, vocabularies) -> list[PackDeadline]:
    """deadlines.yaml: `date: "2027-12-15"`, optional `time: "12:00"` (Paris)."""
    path = reader.directory / "deadlines.yaml"
    known_sections = {s.slug for s in sections}
    waves = {t.slug for t in vocabularies["waves"]}
    result, seen = [], {}
    data = reader.load("deadlines.yaml", required=False)
    for entry in reader.entries(path, data, "deadline"):
        entry = _dates_as_text(entry)
        values = reader.fields(path, entry, DEADLINE_SPEC)
        if not DEADLINE_SPEC.keys() - {"time"} <= values.keys():
            continue
        ok = reader.slug(path, entry, "slug", values["slug"])
        ok &= reader.reference(path, entry, "section", values["section"], known_sections, "section")
        ok &= reader.reference(path, entry, "wave", values["wave"], waves, "wave")
        when = _parse_when(values["date"], values.get("time", ""))
        checks = [("source", _web_address_problem(values["source"])), *when.problems]
        for name, message in checks:
            if message:
                reader.problem(path, entry.lines.get(name, entry.line), name, message)
                ok = False
        if ok and reader.unique(path, entry, "slug", values["slug"], seen):
            values.update(date=when.date, time=when.time)
            result.append(PackDeadline(**values))
    return result


def _dates_as_text(entry: _Mapping) -> _Mapping:
    # An unquoted 2027-12-15 is read by YAML as a date: take it as its text.
    for key, value in entry.items():
        if isinstance(value, dt.date):
            entry[key] = value.isoformat()
    return entry


@dataclass
class _When:
    date: dt.date | None = None
    time: dt.time | None = None
    problems: list = field(default_factory=list)


def _parse_when(day: str, hour: str) -> _When:
    when = _When()
    try:
        when.date = dt.date.fromisoformat(day)
    except ValueError:
        when.problems.append(("date", f'{day!r}: write the date as "2027-12-15"'))
    if hour:
        match = re.fullmatch(r"(\d{1,2})[:h](\d{2})", hour)
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            when.time = dt.time(int(match[1]), int(match[2]))
        else:
            when.problems.append(("time", f'{hour!r}: write the Paris time as "12:00"'))
    return when


SYNONYM_FIELDS = ("words", "word", "means")
SYNONYM_MAX_LENGTH = 100


def _read_synonyms(reader: _Reader) -> list[PackSynonym]:
    """synonyms.yaml: `- words: [pharmacie, officine]` or `- word: ehpad` with `means: [...]`."""
    path = reader.directory / "synonyms.yaml"
    result: list[PackSynonym] = []
    seen: dict[str, str] = {}
    for entry in reader.entries(path, reader.load("synonyms.yaml", required=False), "synonym"):
        synonym = _read_synonym(reader, path, entry)
        if synonym is None:
            continue
        # A word in two two-way entries, or with two sets of meanings, is
        # one entry split in two: the reader would not know which applies.
        heads = synonym.words[:1] if synonym.means else synonym.words
        clashes = [w for w in heads if w.casefold() in seen]
        for word in clashes:
            field_name = "word" if synonym.means else "words"
            reader.problem(
                path,
                entry.lines[field_name],
                field_name,
                f"{shown(word)} already has an entry at {seen[word.casefold()]}: merge the two",
            )
        if clashes:
            continue
        for word in heads:
            seen[word.casefold()] = f"synonyms.yaml:{entry.line}"
        result.append(synonym)
    return result


def _read_synonym(reader: _Reader, path: Path, entry: _Mapping) -> PackSynonym | None:
    for name in entry:
        if name not in SYNONYM_FIELDS:
            reader.problem(
                path,
                entry.lines[name],
                str(name),
                "unknown field; write words: [a, b] (equivalent) or word: a with means: [b]",
            )
            return None
    if "words" in entry and ("word" in entry or "means" in entry):
        name = "word" if "word" in entry else "means"
        reader.problem(
            path,
            entry.lines[name],
            name,
            "words: lists equivalent words; for one word that means others, "
            "write word: and means: in an entry of their own",
        )
        return None
    if "words" in entry:
        words = _synonym_words(reader, path, entry, "words")
        if words is not None and len(words) < 2:
            reader.problem(
                path,
                entry.lines["words"],
                "words",
                "list at least two equivalent words (or write word: and means:)",
            )
            return None
        return None if words is None else PackSynonym(words)
    if "word" not in entry or "means" not in entry:
        missing = "means" if "word" in entry else "word"
        reader.problem(
            path,
            entry.lines.get("word", entry.line),
            missing,
            "missing: a one-way entry has word: (what readers type) and means: (what it finds)",
        )
        return None
    word = entry["word"]
    if not isinstance(word, str):
        reader.problem(path, entry.lines["word"], "word", f"{shown(word)} is not text: quote it")
        return None
    if not _synonym_word_ok(reader, path, entry, "word", word):
        return None
    means = _synonym_words(reader, path, entry, "means")
    if means is None:
        return None
    if word.strip().casefold() in {m.casefold() for m in means}:
        reader.problem(path, entry.lines["means"], "means", f"{shown(word)} cannot mean itself")
        return None
    return PackSynonym([word.strip()], means)


def _synonym_words(reader: _Reader, path: Path, entry: _Mapping, name: str) -> list[str] | None:
    values = entry[name]
    line = entry.lines[name]
    if not isinstance(values, list) or not values:
        reader.problem(path, line, name, "expected a list of words: [a, b]")
        return None
    words: list[str] = []
    for value in values:
        if not isinstance(value, str):
            reader.problem(path, line, name, f"{shown(value)} is not text: quote it")
            return None
        if not _synonym_word_ok(reader, path, entry, name, value):
            return None
        if value.strip().casefold() in {w.casefold() for w in words}:
            reader.problem(path, line, name, f"{shown(value.strip())} is listed twice")
            return None
        words.append(value.strip())
    return words


def _synonym_word_ok(reader: _Reader, path: Path, entry: _Mapping, name: str, value: str) -> bool:
    if not re.search(r"\w", value):
        reader.problem(path, entry.lines[name], name, f"{shown(value)} has no letter or digit")
        return False
    if len(value.strip()) > SYNONYM_MAX_LENGTH or "\n" in value.strip():
        reader.problem(
            path, entry.lines[name], name, f"too long: one line of {SYNONYM_MAX_LENGTH} at most"
        )
        return False
    return True


SOURCE_SPEC = {
    "url": Field(True, max_length=2000),
    "section": Field(True),
    "selector": Field(max_length=200),
    "interval": Field(),
    "region": Field(),
}
INTERVAL_RE = re.compile(r"^(\d+)\s*(min|h|j)$")
INTERVAL_UNITS = {"min": 1, "h": 60, "j": 1440}


def interval_problem(text: str) -> str:
    match = INTERVAL_RE.match(text.strip())
    if not match or int(match.group(1)) == 0:
        return f"{shown(text)}: write a duration such as 30min, 6h or 1j"
    return ""


def parse_interval(text: str) -> timedelta:
    number, unit = INTERVAL_RE.match(text.strip()).groups()
    return timedelta(minutes=int(number) * INTERVAL_UNITS[unit])


def format_interval(interval: timedelta) -> str:
    minutes = int(interval.total_seconds() // 60)
    for unit in ("j", "h"):
        if minutes % INTERVAL_UNITS[unit] == 0:
            return f"{minutes // INTERVAL_UNITS[unit]}{unit}"
    return f"{minutes}min"


def _selector_problem(selector: str) -> str:
    from selectolax.lexbor import LexborHTMLParser, SelectolaxError

    try:
        LexborHTMLParser("<p></p>").css_first(selector)
    except SelectolaxError:
        return f"{shown(selector)} is not a valid CSS selector"
    return ""


def _read_sources(reader: _Reader, sections, regions) -> list[PackSource]:
    """sources.yaml: the official pages the watcher reads, one section each."""
    path = reader.directory / "sources.yaml"
    known_sections = {s.slug for s in sections}
    codes = {r.code for r in regions}
    result, seen = [], {}
    for entry in reader.entries(path, reader.load("sources.yaml", required=False), "source"):
        values = reader.fields(path, entry, SOURCE_SPEC)
        if not {"url", "section"} <= values.keys():
            continue
        url = values["url"]
        problem = url_problem(url)
        if not problem and not url.lower().startswith(("http://", "https://")):
            problem = "une page suivie a une adresse http ou https"
        checks = [
            ("url", problem),
            ("selector", values.get("selector") and _selector_problem(values["selector"])),
            ("interval", values.get("interval") and interval_problem(values["interval"])),
        ]
        ok = True
        for name, message in checks:
            if message:
                reader.problem(path, entry.lines[name], name, message)
                ok = False
        ok &= reader.reference(path, entry, "section", values["section"], known_sections, "section")
        ok &= reader.reference(path, entry, "region", values.get("region", ""), codes, "region")
        if ok and reader.unique(path, entry, "url", url, seen):
            result.append(PackSource(**values))
    return result
