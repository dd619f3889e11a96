"""Any text an editor can paste publishes everywhere: the pages, the search
snippets, the Atom feed, the CSV, JSON and DCAT exports, the API and the PDF.

A property test: hypothesis draws titles and descriptions from all of
Unicode (controls, line separators, emoji, unassigned code points, markup),
saves them as any door does, and reads every publication as its users'
software would. The examples are drawn the same way on every run."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from sommaire.catalog.models import CatalogEvent, Placement, Resource, Section
from tests.edition.pdfs import Pdf

NASTY = list("\x00\x0b\x0c\x1b\x7f\x85\u2028\u2029\ufeff\u200d\ufe0f<>&\"'#$*[]🚀👍🏽🇫🇷中\u0301")
TEXT = st.text(
    alphabet=st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(NASTY)),
    max_size=40,
)


@pytest.fixture
def pasted(segur):
    section = Section.objects.create(slug="collage", title="Collage", order=99)
    model = Resource.objects.first()
    resource = Resource.objects.create(
        key="collage",
        title="Guide collage",
        url="https://example.org/collage.pdf",
        kind_id=model.kind_id,
        format_id=model.format_id,
        publisher_id=model.publisher_id,
    )
    Placement.objects.create(resource=resource, section=section, group="Groupe")
    CatalogEvent.record(CatalogEvent.Kind.ADDED, resource)
    return resource


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    # A failure names its example at once: shrinking a PDF test takes minutes.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=TEXT, description=TEXT)
@example(title="Nouveau 🚀 guide", description="Word\x0bShift+Entrée \x1b[0m \x00")
@example(title="<img src=x onerror=alert(1)>", description="a\u2028b\u2029c\r\nd")
def test_any_title_and_description_publish_everywhere(client, pasted, title, description):
    pasted.title = f"Guide collage {title}"
    pasted.description = f"{description}\n{description}"
    pasted.save()

    for path in ("/ressource/collage/", "/collage/", "/recherche/?q=guide+collage"):
        assert client.get(path).status_code == 200, path
    for path in ("/nouveautes.atom", "/nouveautes/collage.atom"):
        response = client.get(path)
        assert response.status_code == 200, path
        ET.fromstring(response.content)
    csv_rows = list(
        csv.DictReader(io.StringIO(_get(client, "/export/catalogue.csv").decode("utf-8-sig")))
    )
    assert any(row.get("key") == "collage" for row in csv_rows)
    json.loads(_get(client, "/export/catalogue.json"))
    json.loads(_get(client, "/export/catalogue.dcat.jsonld"))
    api = json.loads(_get(client, "/api/v1/resources/collage"))
    assert api["title"] == pasted.title
    pdf = Pdf(_get(client, "/collage.pdf"))
    assert pdf.reader.pages and "/StructTreeRoot" in pdf.root


def _get(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, path
    return b"".join(response.streaming_content) if response.streaming else response.content
