"""Atom feeds of "Quoi de neuf": the whole catalog, and one per section.

Valid by the W3C feed validator's rules: absolute links, a self link, an
author, RFC 3339 dates, and entry ids that are unique and never change (a
tag URI naming the event, not the resource: one resource can be added, then
replaced, then archived, and each is its own entry).
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from sommaire.catalog.models import CatalogEvent
from sommaire.catalog.validation import clean_text
from sommaire.public.context_processors import SITE
from sommaire.public.news import news_events, section_or_404
from sommaire.public.tree import SectionTree

FEED_SIZE = 50
# Fixed forever: changing it would change every entry id and flood readers.
TAG_DATE = "2026"


def _tag(path: str) -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0]
    return f"tag:{host},{TAG_DATE}:{path}"


def describe(event: CatalogEvent) -> str:
    resource = event.resource
    if event.kind == CatalogEvent.Kind.REPLACED and event.previous:
        return f"Nouvelle version de « {event.previous.title} », désormais archivée."
    if event.kind == CatalogEvent.Kind.ARCHIVED:
        return f"« {resource.title} » est archivée : elle n’est plus en vigueur."
    if event.kind == CatalogEvent.Kind.UPDATED:
        return f"« {resource.title} » a été mise à jour."
    return resource.description or f"{resource.kind.label} ajoutée au sommaire."


class NewsFeed(Feed):
    feed_type = Atom1Feed
    author_name = SITE["service_title"]

    def get_object(self, request, slug: str | None = None):
        tree = SectionTree.load()
        return tree, (section_or_404(tree, slug) if slug else None)

    def title(self, obj) -> str:
        _, section = obj
        name = SITE["service_title"]
        if section:
            return clean_text(f"Quoi de neuf — {section.title} — {name}")
        return f"Quoi de neuf — {name}"

    def subtitle(self, obj) -> str:
        return "Les ressources ajoutées, remplacées ou archivées, les plus récentes d’abord."

    def link(self, obj) -> str:
        _, section = obj
        url = reverse("public:news")
        return f"{url}?rubrique={section.slug}" if section else url

    def feed_url(self, obj) -> str:
        _, section = obj
        if section:
            return reverse("public:news-section-feed", args=[section.slug])
        return reverse("public:news-feed")

    def feed_guid(self, obj) -> str:
        _, section = obj
        return _tag(f"nouveautes/{section.slug}" if section else "nouveautes")

    def items(self, obj):
        tree, section = obj
        return news_events(tree, section)[:FEED_SIZE]

    # Text saved before the catalog cleaned it may hold a control character,
    # which XML cannot carry: the feed would be a 500. clean_text drops it.
    def item_title(self, event: CatalogEvent) -> str:
        return clean_text(f"{event.resource.title} ({event.get_kind_display()})")

    def item_description(self, event: CatalogEvent) -> str:
        # Atom's summary is type="html": a feed reader renders it as HTML, so
        # an editor's "<img onerror=…>" must arrive escaped, as the page shows it.
        return escape(clean_text(describe(event), multiline=True))

    def item_link(self, event: CatalogEvent) -> str:
        return event.resource.get_absolute_url()

    def item_guid(self, event: CatalogEvent) -> str:
        return _tag(f"evenement/{event.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, event: CatalogEvent):
        return event.at

    def item_updateddate(self, event: CatalogEvent):
        return event.at
