"""/api/v1/openapi.json documents every field; /api/v1/docs works with no CDN."""

import re

import pytest

ENDPOINTS = {
    "/api/v1/sections",
    "/api/v1/resources",
    "/api/v1/resources/{key}",
    "/api/v1/glossary",
    "/api/v1/news",
    "/api/v1/vocabularies",
    "/api/v1/editions",
}


@pytest.fixture
def schema(segur, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_schema_lists_the_read_endpoints_only(schema):
    assert set(schema["paths"]) == ENDPOINTS
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())


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
        for parameter in operations["get"].get("parameters", [])
        if not parameter.get("description")
    ]

    assert not undocumented


def test_every_answer_documents_its_errors(schema):
    for path, operations in schema["paths"].items():
        assert {"200", "422"} <= set(operations["get"]["responses"]), path
    assert "404" in schema["paths"]["/api/v1/resources/{key}"]["get"]["responses"]


def test_the_docs_page_loads_nothing_from_another_origin(segur, client):
    from django.contrib.staticfiles import finders

    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets), assets
    assert "script-src 'self'" in response["Content-Security-Policy"]
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a static file"
