"""/api/v1/docs: the API's documentation as a page of the site, in the DSFR.

Generated from the OpenAPI schema the API serves (/api/v1/openapi.json,
linked from the page), so it cannot drift from the code: every operation
with its parameters and answers, then every schema with its fields. It
replaces django-ninja's Swagger page, which had no `lang`, failed contrast,
nested interactive controls and no way back to the site.
"""

import re
from dataclasses import dataclass, field

from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sommaire.api.v1 import api
from sommaire.public.cache import cached_page
from sommaire.public.tree import SectionTree

PREFIX = "/api/v1"
REF = "#/components/schemas/"


@dataclass
class Field:
    name: str
    type: str
    required: bool
    description: str
    where: str = ""  # for parameters: query, path, header


@dataclass
class Answer:
    code: str
    description: str
    schema: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[Field] = field(default_factory=list)
    body: str = ""
    answers: list[Answer] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "operation-" + re.sub(
            r"[^a-z0-9]+", "-", f"{self.method} {self.path}".lower()
        ).strip("-")


@dataclass
class Schema:
    name: str
    description: str
    fields: list[Field] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return "schema-" + self.name.lower()


def type_of(spec: dict) -> str:
    """A field's type as a reader says it: "string", "ResourceOut", "array of PlacementOut"."""
    if "$ref" in spec:
        return spec["$ref"].removeprefix(REF)
    if "anyOf" in spec:
        kinds = [type_of(s) for s in spec["anyOf"]]
        return " ou ".join(kinds)
    if spec.get("type") == "array":
        return "liste de " + type_of(spec.get("items", {}))
    kind = spec.get("type", "objet")
    return f"{kind} ({spec['format']})" if "format" in spec else kind


def _fields(properties: dict, required: list) -> list[Field]:
    return [
        Field(name, type_of(spec), name in required, spec.get("description", ""))
        for name, spec in properties.items()
    ]


def _schema_of(content: dict) -> str:
    for media in content.values():
        return type_of(media.get("schema", {}))
    return ""


def read(schema: dict) -> tuple[list[Operation], list[Schema]]:
    """The operations and the schemas of an OpenAPI document, in its order."""
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, spec in methods.items():
            operation = Operation(
                method.upper(), path, spec.get("summary", ""), spec.get("description", "")
            )
            for parameter in spec.get("parameters", []):
                inner = parameter.get("schema", {})
                operation.parameters.append(
                    Field(
                        parameter["name"],
                        type_of(inner),
                        parameter.get("required", False),
                        parameter.get("description") or inner.get("description", ""),
                        parameter.get("in", ""),
                    )
                )
            operation.body = _schema_of(spec.get("requestBody", {}).get("content", {}))
            for code, answer in sorted(spec.get("responses", {}).items()):
                operation.answers.append(
                    Answer(
                        str(code),
                        answer.get("description", ""),
                        _schema_of(answer.get("content", {})),
                    )
                )
            operations.append(operation)
    schemas = [
        Schema(
            name,
            spec.get("description", ""),
            _fields(spec.get("properties", {}), spec.get("required", [])),
        )
        for name, spec in schema.get("components", {}).get("schemas", {}).items()
    ]
    return operations, schemas


def prose(text: str) -> SafeString:
    """Schema text escaped, its `code` spans as <code>."""
    return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text)))


@cached_page
def docs(request):
    schema = api.get_openapi_schema(path_prefix=PREFIX)
    operations, schemas = read(schema)
    tree = SectionTree.load()
    return render(
        request,
        "api/docs.html",
        {
            "info": schema.get("info", {}),
            "introduction": prose(schema.get("info", {}).get("description", "")),
            "operations": operations,
            "schemas": schemas,
            "tree": tree,
            "nav_sections": tree.top(),
            "glossary_section": tree.glossary,
            "current_root": None,
        },
    )
