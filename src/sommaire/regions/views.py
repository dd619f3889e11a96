"""The region picker and the page of each region: contacts, resources, coming deadlines."""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from sommaire.catalog.models import Deadline, Region, Resource, split_deadlines
from sommaire.dossiers.services import published_for_region
from sommaire.public.cache import cached_page
from sommaire.public.tree import SectionTree
from sommaire.public.views import _page
from sommaire.regions import reader

COMING_DEADLINES = 6


@cached_page
def picker(request):
    """Choose a region (GET form, works without JavaScript); `next` brings the reader back."""
    asked, _ = reader.asked_region(request)
    if asked:
        target = request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(target, {request.get_host()})
        return redirect(target if safe and target.startswith("/") else "public:home")
    return _page(
        request,
        "regions/picker.html",
        SectionTree.load(),
        regions=Region.objects.all(),
        chosen=request.reader_region,
        page_title="Choisir ma région",
    )


@cached_page
def region(request, code: str):
    region = reader.find(code)
    if region is None:
        raise Http404("Cette région n’existe pas.")
    if code != region.code.lower():
        return redirect("regions:region", code=region.code.lower(), permanent=True)
    coming, _ = split_deadlines(Deadline.objects.select_related("section", "wave"))
    return _page(
        request,
        "regions/region.html",
        SectionTree.load(),
        region=region,
        contacts=region.contacts.all(),
        resources=Resource.objects.active().described().filter(region=region),
        coming=coming[:COMING_DEADLINES],
        dossiers=published_for_region(region),
        page_title=region.name,
    )
