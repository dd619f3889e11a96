"""Quoi de neuf : resources added, replaced or archived, newest first, by section.

The page and its Atom feeds (`feeds.py`) read one list, `news_events`, so a
reader sees the same entries in both. Reader alerts (`sommaire.alerts`) are
subscribed from here: the form and the confirmation and unsubscription pages
are public pages; what they do is `sommaire.alerts.services`.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sommaire.alerts import services as alerts
from sommaire.alerts.forms import SubscriptionForm
from sommaire.catalog.models import CatalogEvent
from sommaire.editors.lockout import client_ip
from sommaire.public.cache import cached_page
from sommaire.public.tree import SectionTree
from sommaire.public.views import _page

PAGE_SIZE = 30
TOO_MANY = (
    "Trop de demandes d’abonnement sont venues de votre connexion depuis une heure. "
    "Votre saisie est conservée : réessayez dans une heure."
)


def news_events(tree: SectionTree, section=None):
    """The events of the catalog, newest first; of one section and those below it."""
    events = CatalogEvent.objects.select_related(
        "resource__kind", "resource__format", "resource__publisher", "previous"
    )
    if section is not None:
        ids = [section.pk, *(s.pk for s in tree.descendants(section))]
        placed = CatalogEvent.objects.filter(resource__placements__section__in=ids)
        events = events.filter(pk__in=placed.values("pk"))
    return events.order_by("-at", "-pk")


def section_or_404(tree: SectionTree, slug: str):
    section = tree.by_slug.get(slug)
    if section is None or section.is_home or section.is_glossary:
        raise Http404("Cette section n’existe pas.")
    return section


@cached_page
def news(request):
    tree = SectionTree.load()
    slug = request.GET.get("rubrique", "")
    section = section_or_404(tree, slug) if slug else None
    page = Paginator(news_events(tree, section), PAGE_SIZE).get_page(request.GET.get("page"))
    return _page(
        request,
        "public/news.html",
        tree,
        section=section,
        page=page,
        choices=[s for s in tree.sections if not (s.is_home or s.is_glossary)],
    )


@require_http_methods(["GET", "POST"])
def subscribe(request):
    tree = SectionTree.load()
    initial = {"section": request.GET.get("rubrique"), "dossier": request.GET.get("dossier")}
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            alerts.subscribe(**form.cleaned_data, ip=client_ip(request))
        except alerts.TooManyRequests:
            form.add_error(None, TOO_MANY)
            response = _page(request, "public/news_alert_form.html", tree, form=form)
            response.status_code = 429
            return response
        return _page(request, "public/news_alert_sent.html", tree, email=form.cleaned_data["email"])
    return _page(request, "public/news_alert_form.html", tree, form=form)


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    # GET shows a button, POST confirms: a mail scanner that opens links must
    # not confirm a subscription someone else typed an address into.
    subscription = alerts.subscription_for(token, "confirm")
    if subscription is None:
        return _status(request, "Lien expiré ou invalide", 400)
    if request.method == "POST":
        alerts.confirm(subscription)
    return _page(
        request,
        "public/news_alert_confirm.html",
        SectionTree.load(),
        subscription=subscription,
        done=request.method == "POST",
    )


@csrf_exempt  # the signed token is the credential; mail clients post without a form (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    subscription = alerts.subscription_for(token, "unsubscribe")
    if subscription is None:
        return _status(request, "Lien invalide ou abonnement déjà supprimé", 400)
    if request.method == "POST":
        alerts.unsubscribe(subscription)
    return _page(
        request,
        "public/news_alert_unsubscribe.html",
        SectionTree.load(),
        subscription=subscription,
        token=token,
        done=request.method == "POST",
    )


def _status(request, title: str, status: int):
    response = _page(
        request, "public/news_alert_invalid.html", SectionTree.load(), page_title=title
    )
    response.status_code = status
    return response
