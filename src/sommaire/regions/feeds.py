"""The Atom feed of a region page: the news a reader of that region sees (national
resources and the region's own), with the entries and ids of "Quoi de neuf"."""

from django.db.models import Q
from django.http import Http404
from django.urls import reverse

from sommaire.public.context_processors import SITE
from sommaire.public.feeds import FEED_SIZE, NewsFeed, _tag
from sommaire.public.news import news_events
from sommaire.public.tree import SectionTree
from sommaire.regions import reader


class RegionNewsFeed(NewsFeed):
    def get_object(self, request, code: str):
        region = reader.find(code)
        if region is None or code != region.code.lower():
            raise Http404("Cette région n’existe pas.")
        return SectionTree.load(), region

    def title(self, obj) -> str:
        return f"Quoi de neuf — {obj[1].name} — {SITE['service_title']}"

    def subtitle(self, obj) -> str:
        return (
            f"Les ressources nationales et celles de la région {obj[1].name} ajoutées, "
            "remplacées ou archivées, les plus récentes d’abord."
        )

    def link(self, obj) -> str:
        return reverse("regions:region", args=[obj[1].code.lower()])

    def feed_url(self, obj) -> str:
        return reverse("regions:feed", args=[obj[1].code.lower()])

    def feed_guid(self, obj) -> str:
        return _tag(f"regions/{obj[1].code.lower()}")

    def items(self, obj):
        tree, region = obj
        events = news_events(tree).filter(
            Q(resource__region__isnull=True) | Q(resource__region=region)
        )
        return events[:FEED_SIZE]
