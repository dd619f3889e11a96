"""/export/catalogue.{json,csv,dcat.jsonld} and `sommaire export --format dcat`."""

import csv
import io
import json

from django.conf import settings
from django.core.management import call_command

from sommaire.catalog.models import Resource

DCAT = "http://www.w3.org/ns/dcat#"


def test_the_json_download_is_the_export(segur, client):
    out = io.StringIO()
    call_command("export", "--format", "json", stdout=out)

    response = client.get("/export/catalogue.json")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="catalogue.json"'
    assert response.json() == json.loads(out.getvalue())


def test_the_csv_download_opens_in_a_spreadsheet_with_its_accents(segur, client):
    response = client.get("/export/catalogue.csv")

    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffkey,url,title,")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert len(rows) == Resource.objects.count()
    assert any("é" in row["title"] for row in rows)


def test_the_dcat_catalogue_lists_each_active_resource_as_a_dataset(segur, client):
    archived = Resource.objects.get(key="hop-mode-emploi")
    archived.status = Resource.Status.ARCHIVED
    archived.save()

    response = client.get("/export/catalogue.dcat.jsonld")

    assert response["Content-Type"].startswith("application/ld+json")
    catalogue = response.json()
    assert catalogue["@context"]["dcat"] == DCAT
    assert catalogue["@type"] == "dcat:Catalog"
    datasets = {d["dct:identifier"]: d for d in catalogue["dcat:dataset"]}
    assert set(datasets) == {"sommaire"} | set(
        Resource.objects.active().values_list("key", flat=True)
    )
    dsr = datasets["hop-dpi-dsr-va1"]
    assert dsr["@type"] == "dcat:Dataset"
    assert dsr["@id"].endswith("/ressource/hop-dpi-dsr-va1/")
    assert dsr["dct:publisher"]["foaf:name"] == "Agence du Numérique en Santé"
    assert dsr["owl:versionInfo"] == "Va1"
    [distribution] = dsr["dcat:distribution"]
    url = Resource.objects.get(key="hop-dpi-dsr-va1").url
    assert distribution["dcat:downloadURL"] == {"@id": url}
    assert distribution["dcat:mediaType"] == "application/pdf"
    assert distribution["dct:format"]["@id"].endswith("/file-type/PDF")


def test_the_directory_itself_is_a_dataset_with_its_downloads(segur, client):
    catalogue = client.get("/export/catalogue.dcat.jsonld").json()

    directory = next(d for d in catalogue["dcat:dataset"] if d["dct:identifier"] == "sommaire")
    urls = [d["dcat:accessURL"]["@id"] for d in directory["dcat:distribution"]]
    assert [u.rsplit("/", 1)[-1] for u in urls] == [
        "catalogue.csv",
        "catalogue.json",
        "catalogue.dcat.jsonld",
        "sommaire.pdf",
        "",
    ]
    for url in urls[:4]:
        assert client.get(url.removeprefix(settings.SITE_URL)).status_code == 200


def test_the_export_command_writes_the_same_dcat_catalogue(segur, client):
    out = io.StringIO()

    call_command("export", "--format", "dcat", stdout=out)

    assert json.loads(out.getvalue()) == client.get("/export/catalogue.dcat.jsonld").json()


def test_the_site_footer_links_the_pdf_and_the_downloads(segur, client):
    html = client.get("/").content.decode()

    for href in (
        "/sommaire.pdf",
        "/export/catalogue.csv",
        "/export/catalogue.json",
        "/export/catalogue.dcat.jsonld",
        "/api/v1/docs",
    ):
        assert f'href="{href}"' in html, href
