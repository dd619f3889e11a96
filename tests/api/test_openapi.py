"""/api/v1/openapi.json documents every field; /api/v1/docs works with no CDN."""

import re

import pytest

from tests.public.html import parse

ENDPOINTS = {
    "/api/v1/sections": {"get"},
    "/api/v1/resources": {"get", "post"},
    "/api/v1/resources/{key}": {"get", "put"},
    "/api/v1/glossary": {"get"},
    "/api/v1/news": {"get"},
    "/api/v1/vocabularies": {"get"},
    "/api/v1/editions": {"get"},
    "/api/v1/links": {"get"},
    "/api/v1/search": {"get"},
    "/api/v1/dossiers": {"get", "post"},
    "/api/v1/dossiers/{slug}": {"get", "put"},
}


@pytest.fixture
def schema(segur, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_lists_every_endpoint_and_writes_only_on_resources_and_dossiers(schema):
    assert {path: set(operations) for path, operations in schema["paths"].items()} == ENDPOINTS


def test_writes_say_how_to_authenticate(schema):
    schemes = schema["components"]["securitySchemes"]
    writes = [
        ("/api/v1/resources", "post"),
        ("/api/v1/resources/{key}", "put"),
        ("/api/v1/dossiers", "post"),
        ("/api/v1/dossiers/{slug}", "put"),
    ]
    for path, method in writes:
        security = schema["paths"][path][method]["security"]
        assert {name for entry in security for name in entry} == set(schemes)
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    assert all(s.get("description") for s in schemes.values())


def test_every_field_of_every_answer_is_described(schema):
    undocumented = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, spec in component.get("properties", {}).items()
        if not spec.get("description")
    ]

    assert not undocumented


def test_every_parameter_is_described(schema):
    undocumented = [
        f"{path} {parameter['name']}"
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if not parameter.get("description")
    ]

    assert not undocumented


def test_every_answer_documents_its_errors(schema):
    for path, operations in schema["paths"].items():
        assert {"200", "422"} <= set(operations["get"]["responses"]), path
    assert "404" in schema["paths"]["/api/v1/resources/{key}"]["get"]["responses"]
    create = schema["paths"]["/api/v1/resources"]["post"]["responses"]
    replace = schema["paths"]["/api/v1/resources/{key}"]["put"]["responses"]
    assert {"201", "401", "403", "422"} <= set(create)
    assert {"200", "401", "403", "404", "412", "422", "428"} <= set(replace)
    assert {"401", "404"} <= set(schema["paths"]["/api/v1/dossiers/{slug}"]["get"]["responses"])
    create = schema["paths"]["/api/v1/dossiers"]["post"]["responses"]
    replace = schema["paths"]["/api/v1/dossiers/{slug}"]["put"]["responses"]
    assert {"201", "401", "403", "422"} <= set(create)
    assert {"200", "401", "403", "404", "412", "422", "428"} <= set(replace)


def test_the_docs_page_loads_nothing_from_another_origin(segur, client):
    from django.contrib.staticfiles import finders

    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'<(?:script|link|img)[^>]*?(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    assert "script-src 'self'" in response["Content-Security-Policy"]
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a static file"


def test_the_docs_page_is_a_page_of_the_site_generated_from_the_schema(segur, client, schema):
    document = parse(client.get("/api/v1/docs").content)

    assert document.find("html").get("lang") == "fr"
    assert document.by_id("navigation-principale")
    assert document.find("main").link_to("/")  # "Retour au sommaire"
    assert document.find("main").link_to("/api/v1/openapi.json")
    documented = {
        h3.text() for h3 in document.by_id("contenu").find_all("h3") if h3.find_all("span")
    }
    expected = {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    }
    assert documented == expected
    fields = document.by_id("schema-resourceout").text()
    for name, spec in schema["components"]["schemas"]["ResourceOut"]["properties"].items():
        assert name in fields and spec["description"] in fields
