"""The open-data downloads: the whole catalog as JSON, CSV and DCAT-AP (JSON-LD).

The same builders as `sommaire export`, so a download and the command agree.
`urls.py` wraps each view in `http.read_only` (CORS, ETag, 304).
"""

import json

from django.http import HttpResponse

from sommaire.catalog.dcat import catalog_as_dcat
from sommaire.catalog.exports import catalog_as_csv, catalog_as_dict


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def catalog_json(request):
    content = json.dumps(catalog_as_dict(), ensure_ascii=False, indent=2)
    return _download(content, "application/json; charset=utf-8", "catalogue.json")


def catalog_csv(request):
    # The BOM lets spreadsheet software read the accents as UTF-8.
    content = "\ufeff" + catalog_as_csv()
    return _download(content, "text/csv; charset=utf-8", "catalogue.csv")


def catalog_dcat(request):
    content = json.dumps(catalog_as_dcat(), ensure_ascii=False, indent=2)
    return _download(content, "application/ld+json; charset=utf-8", "catalogue.dcat.jsonld")
