"""Link extraction and normalisation: one spelling per address, no chrome."""

import pytest

from sommaire.watch.links import extract_links, is_publication, normalise_url

SOURCE = "https://esante.gouv.fr/segur/hopital"


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("HTTPS://ESANTE.Gouv.FR/a.pdf", "https://esante.gouv.fr/a.pdf"),
        ("https://esante.gouv.fr:443/a.pdf#page=3", "https://esante.gouv.fr/a.pdf"),
        ("http://esante.gouv.fr:8080/a", "http://esante.gouv.fr:8080/a"),
        (
            "https://esante.gouv.fr/a.pdf?utm_source=x&id=4&fbclid=y",
            "https://esante.gouv.fr/a.pdf?id=4",
        ),
        (
            "https://esante.gouv.fr/%7Eam%c3%a9lie/a%2Db.pdf",
            "https://esante.gouv.fr/~am%C3%A9lie/a-b.pdf",
        ),
        (
            "https://esante.gouv.fr/dossier/guide é.pdf",
            "https://esante.gouv.fr/dossier/guide%20%C3%A9.pdf",
        ),
        ("https://esante.gouv.fr/a%2Fb.pdf", "https://esante.gouv.fr/a%2Fb.pdf"),
        ("https://user:pw@esante.gouv.fr", "https://esante.gouv.fr/"),
        ("https://santé.gouv.fr/x", "https://xn--sant-epa.gouv.fr/x"),
    ],
)
def test_one_spelling_per_address(raw, normal):
    assert normalise_url(raw) == normal


@pytest.mark.parametrize(
    "raw", ["mailto:a@b.fr", "javascript:void(0)", "ftp://x.org/a", "https://x.org:99999/"]
)
def test_what_is_no_web_address_is_dropped(raw):
    assert normalise_url(raw) is None


def test_relative_links_resolve_against_the_page_or_its_base():
    html = (
        '<base href="https://esante.gouv.fr/docs/">'
        '<main><a href="a.pdf">A</a><a href="../b.pdf">B</a></main>'
    )

    assert [link.url for link in extract_links(html, SOURCE)] == [
        "https://esante.gouv.fr/docs/a.pdf",
        "https://esante.gouv.fr/b.pdf",
    ]


def test_the_selector_chooses_the_part_that_matters():
    html = '<main><div class="docs"><a href="a.pdf">A</a></div><a href="b.pdf">B</a></main>'

    assert [link.text for link in extract_links(html, SOURCE, "div.docs")] == ["A"]


def test_without_main_the_body_counts_without_header_nav_and_footer():
    html = (
        "<body><header><a href='/h.pdf'>H</a></header><nav><a href='/n.pdf'>N</a></nav>"
        "<div><a href='/ok.pdf'>OK</a></div><footer><a href='/f.pdf'>F</a></footer></body>"
    )

    assert [link.text for link in extract_links(html, SOURCE)] == ["OK"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://esante.gouv.fr/sites/default/files/DSR-HOP-DPI-Va1.pdf", True),
        ("https://autre.example.org/tableau.XLSX", True),
        ("https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000043934117", True),
        ("https://www.legifrance.gouv.fr/", False),
        ("https://esante.gouv.fr/segur/hopital/faq", True),
        ("https://esante.gouv.fr/segur/hopital", False),
        ("https://esante.gouv.fr/segur/hopital?page=2", False),
        ("https://esante.gouv.fr/segur/officine", False),
        ("https://esante.gouv.fr/segur/hopitalien", False),
        ("https://www.facebook.com/sharer/sharer.php?u=x", False),
        ("https://www.linkedin.com/shareArticle?url=a.pdf", False),
    ],
)
def test_what_counts_as_a_publication(url, expected):
    assert is_publication(url, SOURCE) is expected
