"""What search engines and browsers ask of every site: robots.txt, sitemap.xml, favicon.ico.

Addresses in them are absolute on SOMMAIRE_SITE_URL, the canonical address,
whatever host the request used. The sitemap lists the pages a reader should
land on from a search engine: home, sections, resources, glossary, news,
deadlines, the region pages, the published and listed dossiers and the fixed
pages; not search results, the back-office, the API, or an unlisted dossier
(which only its link reaches).
"""

from datetime import datetime
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView

from sommaire.catalog.models import Region, Resource, Section
from sommaire.dossiers.models import Dossier
from sommaire.public.cache import cached_page

# Pages of results, forms and machine answers: nothing a search engine should index.
DISALLOWED = ["/gestion/", "/recherche/", "/api/", "/nouveautes/alertes/"]
FIXED_PAGES = [
    "public:glossary",
    "public:news",
    "public:deadlines",
    "regions:picker",
    "public:sitemap",
    "public:accessibility",
    "public:legal",
    "public:personal-data",
]


def absolute(path: str) -> str:
    return settings.SITE_URL + path


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED)]
    lines += ["", f"Sitemap: {absolute(reverse('public:sitemap-xml'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def sitemap_entries() -> list[tuple[str, datetime | None]]:
    """(path, last change) of every page the sitemap lists, home first."""
    entries: list[tuple[str, datetime | None]] = [(reverse("public:home"), None)]
    for section in Section.objects.order_by("order", "slug"):
        if not section.is_home:
            entries.append((section.get_absolute_url(), None))
    entries += [(reverse(name), None) for name in FIXED_PAGES]
    for region in Region.objects.order_by("order", "code"):
        entries.append((reverse("regions:region", args=[region.code.lower()]), None))
    for key, changed in Resource.objects.active().order_by("key").values_list("key", "changed_at"):
        entries.append((reverse("public:resource", args=[key]), changed))
    for dossier in Dossier.objects.listed().order_by("slug").only("slug", "updated_at"):
        entries.append((dossier.get_absolute_url(), dossier.updated_at))
    seen, unique = set(), []
    for path, changed in entries:
        if path not in seen:
            seen.add(path)
            unique.append((path, changed))
    return unique


@require_safe
@cached_page
def sitemap_xml(request):
    urls = []
    for path, changed in sitemap_entries():
        lastmod = f"<lastmod>{changed.date().isoformat()}</lastmod>" if changed else ""
        urls.append(f"<url><loc>{escape(absolute(path))}</loc>{lastmod}</url>")
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(urls)
        + "\n</urlset>\n"
    )
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


class Favicon(RedirectView):
    """Browsers ask /favicon.ico whatever the page declares: the DSFR's icon."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("dsfr/dist/favicon/favicon.ico")
