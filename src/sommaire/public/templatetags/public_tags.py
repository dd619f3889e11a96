"""Template filters of the public pages: `{% load public_tags %}`."""

import re
from urllib.parse import urlsplit

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString

from sommaire.public.acronyms import Acronyms, annotate

register = template.Library()


@register.filter
def with_acronyms(text, acronyms) -> SafeString:
    """Text escaped, glossary acronyms as <abbr> linked to the glossary."""
    if not isinstance(acronyms, Acronyms):
        return escape(text)
    return annotate(text, acronyms, link=True)


@register.filter
def with_abbr(text, acronyms) -> SafeString:
    """The same without links, for text already inside a link (a title)."""
    if not isinstance(acronyms, Acronyms):
        return escape(text)
    return annotate(text, acronyms, link=False)


@register.filter
def resources_count(count: int) -> str:
    """French plural: "aucune ressource", "1 ressource", "12 ressources"."""
    if not count:
        return "aucune ressource"
    return f"{count} ressource" if count == 1 else f"{count} ressources"


@register.filter
def host(url: str) -> str:
    """The site a link leads to, as a reader says it: "esante.gouv.fr"."""
    parts = urlsplit(url or "")
    if parts.scheme == "mailto":
        return parts.path
    name = parts.hostname or ""
    return name.removeprefix("www.")


@register.filter
def link_detail(resource) -> str:
    """What a resource link opens: "Fichier PDF – esante.gouv.fr", "Page web – …"."""
    fmt = resource.format
    if fmt.slug == "email":
        return f"Adresse électronique – {host(resource.url)}"
    what = f"Fichier {fmt.label}" if fmt.is_file() else fmt.label
    where = host(resource.url)
    return f"{what} – {where}" if where else what


@register.filter
def children_of(tree, section) -> list:
    """`{% with children=tree|children_of:section %}`: the sections under `section`."""
    return tree.children(section)


@register.filter
def section_named(tree, term):
    """`{% with section=tree|section_named:term %}`: the section a glossary term names, or None."""
    return tree.by_slug.get(term.section_slug)


_WAVE_VERSION = re.compile(r"va?\s*(\d+)", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


@register.filter
def version_beyond_wave(resource) -> str:
    """The resource's version, unless it only repeats its wave ("Va1" beside "Vague 1")."""
    version = resource.version or ""
    wave = getattr(resource, "wave", None)
    if wave is None:
        return version
    match = _WAVE_VERSION.fullmatch(version.strip())
    repeats = match and match.group(1) in _DIGITS.findall(f"{wave.slug} {wave.label}")
    return "" if repeats else version
