"""The back-office's forms refuse a cross-site post, and its pages run under the
Content-Security-Policy of the whole site (no inline script, no 'unsafe-inline')."""

import pytest
from django.test import Client
from selectolax.lexbor import LexborHTMLParser

from sommaire.catalog.models import Contact, GlossaryTerm, Region, Resource, Section
from tests.editors.backoffice import (
    client_for,
    contact_data,
    resource_data,
    section_data,
    term_data,
    url,
)
from tests.personas import PASSWORD


def snapshot():
    return [
        list(model.objects.order_by("pk").values())
        for model in (Resource, Contact, Section, GlossaryTerm)
    ]


@pytest.fixture
def forms(segur):
    """Each back-office form: where it posts and what a browser would send."""
    resource = Resource.objects.filter(region=None).first()
    section = Section.objects.get(slug="ins")
    term = GlossaryTerm.objects.get(term="INS")
    contact = Contact.objects.create(region=Region.objects.get(code="OCC"), name="GRADeS")
    first = resource.history.earliest()
    unplaced = Resource.objects.create(
        key="a-supprimer",
        title="À supprimer",
        url="https://www.example.fr/a-supprimer",
        kind=resource.kind,
        format=resource.format,
        publisher=resource.publisher,
    )
    return {
        "add resource": (url(Resource), resource_data(key="k", url="https://www.example.fr/k")),
        "change resource": (url(Resource, resource.pk), resource_data(resource, title="X")),
        "delete resource": (url(Resource, unplaced.pk, "delete"), {"post": "yes"}),
        "revert resource": (
            f"/gestion/admin/catalog/resource/{resource.pk}/history/{first.history_id}/",
            resource_data(resource, title="X"),
        ),
        "add contact": (url(Contact), contact_data(region=contact.region_id)),
        "change contact": (url(Contact, contact.pk), contact_data(contact, name="X")),
        "delete contact": (url(Contact, contact.pk, "delete"), {"post": "yes"}),
        "change section": (url(Section, section.pk), section_data(section, title="X")),
        "change glossary term": (url(GlossaryTerm, term.pk), term_data(term, expansion="X")),
    }


FORMS = [
    "add resource",
    "change resource",
    "delete resource",
    "revert resource",
    "add contact",
    "change contact",
    "delete contact",
    "change section",
    "change glossary term",
]


@pytest.mark.parametrize("name", FORMS)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(administrator, forms, name):
    action, data = forms[name]
    client = client_for(administrator, enforce_csrf_checks=True)
    before = snapshot()

    response = client.post(action, data)

    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("name", FORMS)
def test_the_same_post_with_the_token_of_the_form_goes_through(administrator, forms, name):
    action, data = forms[name]
    client = client_for(administrator, enforce_csrf_checks=True)
    client.get(action)
    before = snapshot()

    response = client.post(
        action, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )

    assert response.status_code == 302
    assert snapshot() != before


def test_the_sign_in_form_refuses_a_post_without_the_token(remi):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/gestion/connexion/", {"username": "remi", "password": PASSWORD})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "path",
    [
        "/gestion/connexion/",
        "/gestion/",
        "/gestion/admin/",
        "/gestion/admin/catalog/resource/",
        "/gestion/admin/catalog/resource/add/",
        "RESOURCE/change/",
        "RESOURCE/history/",
        "/gestion/admin/auth/user/add/",
    ],
)
def test_back_office_pages_run_under_the_policy_without_inline_script(administrator, path):
    resource = Resource.objects.order_by("pk").first()
    path = path.replace("RESOURCE", f"/gestion/admin/catalog/resource/{resource.pk}")
    client = Client() if path == "/gestion/connexion/" else client_for(administrator)

    response = client.get(path)

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    page = LexborHTMLParser(response.content)
    inline = [s.html[:80] for s in page.css("script") if not s.attributes.get("src")]
    assert inline == []
    assert [e.tag for e in page.css("[style], style")] == []
    assert [e.tag for e in page.css("[onclick], [onload], [onchange], [onsubmit]")] == []


def test_the_sign_in_page_is_french_and_labelled(segur):
    page = LexborHTMLParser(Client().get("/gestion/connexion/").content)

    assert page.css_first("html").attributes["lang"] == "fr"
    for name in ("username", "password"):
        field = page.css_first(f"input[name={name}]")
        assert page.css_first(f"label[for={field.attributes['id']}]").text().strip()
