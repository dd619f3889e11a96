"""The catalog as a DCAT-AP catalogue in JSON-LD, for open-data harvesters.

Same shape as the other export formats (`exports.catalog_as_csv`): built from
`catalog_as_dict()`, so it lists exactly what the JSON and CSV exports list.

A harvester (data.gouv.fr and other CKAN/udata portals read DCAT-AP) finds:
- one dataset per active resource: the published document, its publisher,
  its dates, its kind and sections as keywords, one distribution whose
  access URL is the document and whose format is the EU file-type;
- one dataset for the directory itself, whose distributions are the CSV,
  JSON and JSON-LD downloads, the PDF edition and the API.
Identifiers (`@id`) are the resource pages on SOMMAIRE_SITE_URL: stable across
harvests, so a portal updates a dataset instead of duplicating it.
"""

from django.conf import settings
from django.urls import reverse

from sommaire.catalog.exports import catalog_as_dict
from sommaire.catalog.models import Format, Kind, PackInfo, Publisher, Region, Section

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dct:issued": {"@type": "xsd:dateTime"},
    "dct:modified": {"@type": "xsd:dateTime"},
}
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
LANGUAGE_FR = {"@id": "http://publications.europa.eu/resource/authority/language/FRA"}
# Our format slugs -> (EU file-type code, IANA media type).
FORMATS = {
    "pdf": ("PDF", "application/pdf"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pptx": ("PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "zip": ("ZIP", "application/zip"),
    "page-web": ("HTML", "text/html"),
    "video": ("HTML", "text/html"),
    "csv": ("CSV", "text/csv"),
    "json": ("JSON", "application/json"),
    "jsonld": ("JSON_LD", "application/ld+json"),
}
DOWNLOADABLE = {"pdf", "xlsx", "docx", "pptx", "zip"}


def _site(path: str) -> str:
    return settings.SITE_URL + path


def catalog_as_dcat(data: dict | None = None) -> dict:
    """The DCAT-AP catalogue (a JSON-LD document) of the active resources."""
    data = data or catalog_as_dict()
    pack = PackInfo.objects.order_by("pk").first()
    title = pack.title if pack else "Sommaire"
    labels = {
        "kind": dict(Kind.objects.values_list("slug", "label")),
        "format": dict(Format.objects.values_list("slug", "label")),
        "section": dict(Section.objects.values_list("slug", "title")),
        "region": {r.code: r for r in Region.objects.all()},
    }
    publishers = {p.slug: p for p in Publisher.objects.all()}
    datasets = [
        _dataset(row, labels, publishers) for row in data["resources"] if row["status"] == "active"
    ]
    return {
        "@context": CONTEXT,
        "@id": _site(reverse("export-dcat")),
        "@type": "dcat:Catalog",
        "dct:title": f"{title} — sommaire de la documentation",
        "dct:description": (pack.intro.strip() if pack else "")
        or "Le sommaire de la documentation, tenu à jour.",
        "dct:language": LANGUAGE_FR,
        "foaf:homepage": {"@id": _site("/")},
        "dct:publisher": _agent(publishers.get("ans")),
        "dct:modified": max((d["dct:modified"] for d in datasets), default=None),
        "dcat:dataset": [_directory(title)] + datasets,
    }


def _agent(publisher: Publisher | None) -> dict:
    if publisher is None:
        return {"@type": "foaf:Agent", "foaf:name": "Sommaire"}
    agent = {"@type": "foaf:Agent", "foaf:name": publisher.name}
    if publisher.url:
        agent["@id"] = publisher.url
    return agent


def _dataset(row: dict, labels: dict, publishers: dict) -> dict:
    page = _site(reverse("public:resource", args=[row["key"]]))
    keywords = [labels["kind"].get(row["kind"], row["kind"])]
    keywords += [labels["section"].get(p["section"], p["section"]) for p in row["sections"]]
    dataset = {
        "@id": page,
        "@type": "dcat:Dataset",
        "dct:identifier": row["key"],
        "dct:title": row["title"],
        "dct:description": row["description"] or row["title"],
        "dcat:keyword": list(dict.fromkeys(keywords)),
        "dct:publisher": _agent(publishers.get(row["publisher"])),
        "dct:issued": row["added_at"],
        "dct:modified": row["changed_at"],
        "dct:language": LANGUAGE_FR,
        "dcat:landingPage": {"@id": page},
        "dcat:distribution": [_distribution(row, labels)],
    }
    if row["version"]:
        dataset["owl:versionInfo"] = row["version"]
    region = labels["region"].get(row["region"])
    if region is not None:
        dataset["dct:spatial"] = {"@type": "dct:Location", "dct:identifier": region.iso}
    return dataset


def _distribution(row: dict, labels: dict) -> dict:
    code, media_type = FORMATS.get(row["format"], ("OCTET", "application/octet-stream"))
    distribution = {
        "@id": row["url"],
        "@type": "dcat:Distribution",
        "dct:title": row["title"],
        "dct:format": {"@id": FILE_TYPE + code},
        "dcat:mediaType": media_type,
        "dcat:accessURL": {"@id": row["url"]},
    }
    if row["format"] in DOWNLOADABLE:
        distribution["dcat:downloadURL"] = {"@id": row["url"]}
    return distribution


def _directory(title: str) -> dict:
    """The directory itself as a dataset: its downloads, its PDF and its API."""
    links = [
        ("export-csv", "csv", "Catalogue complet (CSV, une ligne par ressource)"),
        ("export-json", "json", "Catalogue complet (JSON : sections, ressources, glossaire)"),
        ("export-dcat", "jsonld", "Catalogue DCAT-AP (JSON-LD)"),
    ]
    distributions = [
        {
            "@id": _site(reverse(name)),
            "@type": "dcat:Distribution",
            "dct:title": label,
            "dct:format": {"@id": FILE_TYPE + FORMATS[fmt][0]},
            "dcat:mediaType": FORMATS[fmt][1],
            "dcat:accessURL": {"@id": _site(reverse(name))},
            "dcat:downloadURL": {"@id": _site(reverse(name))},
        }
        for name, fmt, label in links
    ]
    pdf = _site(reverse("edition:full"))
    distributions.append(
        {
            "@id": pdf,
            "@type": "dcat:Distribution",
            "dct:title": "Édition PDF du sommaire",
            "dct:format": {"@id": FILE_TYPE + "PDF"},
            "dcat:mediaType": "application/pdf",
            "dcat:accessURL": {"@id": pdf},
            "dcat:downloadURL": {"@id": pdf},
        }
    )
    api = _site("/api/v1/")
    distributions.append(
        {
            "@id": api,
            "@type": "dcat:Distribution",
            "dct:title": "API JSON (OpenAPI : /api/v1/openapi.json)",
            "dct:format": {"@id": FILE_TYPE + "JSON"},
            "dcat:mediaType": "application/json",
            "dcat:accessURL": {"@id": api},
        }
    )
    return {
        "@id": _site("/#catalogue"),
        "@type": "dcat:Dataset",
        "dct:identifier": "sommaire",
        "dct:title": f"{title} — le sommaire en données ouvertes",
        "dct:description": (
            "Toutes les ressources du sommaire, avec leurs sections, types, formats, éditeurs, "
            "vagues et régions, et le glossaire des sigles."
        ),
        "dcat:keyword": ["sommaire", "documentation", title],
        "dct:language": LANGUAGE_FR,
        "dcat:landingPage": {"@id": _site("/")},
        "dcat:distribution": distributions,
    }
