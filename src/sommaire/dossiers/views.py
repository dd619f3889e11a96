"""The reader's pages of a dossier: /dossiers/<slug>/ and /dossiers/<slug>.pdf.

A draft is a 404 for readers (its editors see it, marked as such); an
unlisted dossier is served to whoever has its link, with `noindex` in the
page and in an X-Robots-Tag header (the PDF has no <meta>).
"""

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from sommaire.dossiers import services
from sommaire.dossiers.models import Dossier
from sommaire.dossiers.pdf import dossier_pdf
from sommaire.edition.views import live_pdf
from sommaire.linkcheck.services import links_by_url
from sommaire.public.cache import cached_page
from sommaire.public.tree import SectionTree
from sommaire.public.views import _page


def _dossier_or_404(request, slug: str) -> Dossier:
    dossier = services.for_reader(slug, request.user)
    if dossier is None:
        raise Http404("Aucun dossier publié n’a cette adresse.")
    return dossier


def _mark(response, dossier: Dossier):
    if not dossier.is_listed():
        response["X-Robots-Tag"] = "noindex"
    if not dossier.is_published():
        patch_cache_control(response, private=True, no_cache=True)
    return response


@require_safe
@cached_page
def page(request, slug: str):
    dossier = _dossier_or_404(request, slug)
    items = dossier.items_in_order()
    request.link_states = links_by_url()  # read once, by the notices and the badges
    notices = {n.resource.pk: n for n in dossier.notices(request.link_states, items)}
    response = _page(
        request,
        "dossiers/dossier.html",
        SectionTree.load(),
        dossier=dossier,
        blocks=_blocks(items, notices),
        has_headings=any(item.is_heading() for item in items),
        share_url=settings.SITE_URL + dossier.get_absolute_url(),
        region_trail=_region_trail(dossier),
    )
    return _mark(response, dossier)


@require_safe
def pdf(request, slug: str):
    dossier = _dossier_or_404(request, slug)
    response = live_pdf(
        request,
        f"dossier:{dossier.pk}",
        lambda: dossier_pdf(dossier),
        f"dossier-{dossier.slug}.pdf",
    )
    return _mark(response, dossier)


def _region_trail(dossier: Dossier) -> list[dict]:
    """The breadcrumb of a regional dossier goes through its region's page."""
    if dossier.region is None:
        return []
    code = dossier.region.code.lower()
    return [
        {"title": dossier.region.name, "get_absolute_url": reverse("regions:region", args=[code])}
    ]


def _blocks(items, notices) -> list[dict]:
    """Items cut at each heading: [{heading, note, entries: [(item, notice)]}]."""
    blocks = [{"heading": None, "note": "", "entries": []}]
    for item in items:
        if item.is_heading():
            blocks.append({"heading": item.heading, "note": item.note, "entries": []})
        else:
            blocks[-1]["entries"].append((item, notices.get(item.resource_id)))
    return [b for b in blocks if b["heading"] or b["entries"]]
