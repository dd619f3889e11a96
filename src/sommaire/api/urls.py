from django.http import JsonResponse
from django.urls import URLPattern, include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from sommaire.api import docs, downloads
from sommaire.api.http import read_only
from sommaire.api.v1 import api


def _read_only(urls):
    """The API's URLs, each view wrapped in `read_only` (CORS, ETag, 304, OPTIONS)."""
    patterns, app_name, namespace = urls
    for pattern in patterns:
        if not isinstance(pattern, URLPattern):
            raise TypeError(f"unexpected nested URLs in the API: {pattern!r}")
        pattern.callback = read_only(pattern.callback, ninja=True)
    return include((patterns, app_name), namespace=namespace)


def not_found(request):
    """Any other address under /api/: a JSON 404, as the API's clients expect.

    Whatever the method: a PUT to an unknown address changes nothing, so it
    needs no CSRF token, and must not get the CSRF middleware's HTML 403.
    """
    return JsonResponse({"detail": "Cette adresse n’existe pas dans l’API."}, status=404)


urlpatterns = [
    path("api/v1/docs", docs.docs, name="api-docs"),
    path("api/v1/", _read_only(api.urls)),
    # [\s\S], not ".": a key holding a line break (%0A) must land here too, not on the
    # site's HTML 404.
    re_path(r"^api/[\s\S]*$", csrf_exempt(read_only(not_found))),
    path("export/catalogue.json", read_only(downloads.catalog_json), name="export-json"),
    path("export/catalogue.csv", read_only(downloads.catalog_csv), name="export-csv"),
    path("export/catalogue.dcat.jsonld", read_only(downloads.catalog_dcat), name="export-dcat"),
]
