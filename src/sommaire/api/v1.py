"""API v1: the catalog as JSON, described by its OpenAPI schema.

Every read is a GET that costs a constant number of queries; lists are
paginated with `limit` and `offset`. Links in responses are absolute, built on
SOMMAIRE_SITE_URL, so they do not depend on the host a client used. Editors
write resources (POST, PUT) with a token or their session (`api.auth`); the
writing itself, permissions and the no-lost-update rule live in `api.editing`.
"""

import contextlib
from datetime import UTC, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Header, NinjaAPI, Path, Query, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer

from sommaire.api import auth, dossiers, editing, links, schemas, search
from sommaire.api.http import absolute, current_state, page_links, resource_etag
from sommaire.catalog.exports import resource_as_dict
from sommaire.catalog.models import (
    Format,
    GlossaryTerm,
    Kind,
    Placement,
    Publisher,
    Region,
    Resource,
    Section,
    SoftwareProfile,
    Wave,
)
from sommaire.edition.models import Edition


class Utf8Renderer(JSONRenderer):
    """Accented text as UTF-8 rather than \\u escapes: lighter, and readable."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8Renderer(),
    title="API de Sommaire",
    version="1",
    description=(
        "Le catalogue de la documentation du Ségur du numérique en santé. "
        "Lectures : réponses en JSON, paginées (`limit`, `offset`) ; chaque réponse porte un "
        "ETag (renvoyez-le dans `If-None-Match` : 304 tant que rien n’a changé) et peut être "
        "lue depuis toute origine (CORS). "
        "Écritures (éditeurs) : `POST /resources` et `PUT /resources/{key}`, avec un jeton "
        "d’API (`Authorization: Bearer …`, créé par `sommaire create-token`) ou la session du "
        "site de gestion et son jeton CSRF ; `PUT` exige `If-Match` avec l’ETag lu "
        "(428 sans lui, 412 si la ressource a changé entre-temps). Pas de CORS pour les "
        "écritures. Les dossiers (`/dossiers`) s’écrivent de même : `POST /dossiers`, "
        "`PUT /dossiers/{slug}` avec If-Match."
    ),
    urls_namespace="api-v1",
    # Our own page (sommaire.api.docs), in the DSFR, replaces ninja's Swagger.
    docs_url=None,
    openapi_url="/openapi.json",
)

ERRORS = {404: schemas.Problem, 422: schemas.ValidationProblem}
WRITE_ERRORS = {
    400: schemas.Problem,
    401: schemas.Problem,
    403: schemas.Problem,
    422: schemas.ValidationProblem,
}

api.add_router("", links.router)
api.add_router("", search.router)
api.add_router("", dossiers.router)


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc):
    return auth.not_authenticated(request, exc)


# What pydantic says of a refused value, as our readers say it ({...} from the error's ctx).
IN_FRENCH = {
    "missing": "champ obligatoire",
    "string_type": "du texte est attendu",
    "string_too_short": "trop court : {min_length} caractère(s) au moins",
    "string_too_long": "trop long : {max_length} caractères au plus",
    "int_type": "un nombre entier est attendu",
    "int_parsing": "un nombre entier est attendu",
    "greater_than_equal": "trop petit : {ge} au moins",
    "less_than_equal": "trop grand : {le} au plus",
    "bool_parsing": "true ou false est attendu",
    "literal_error": "valeur refusée : {expected}",
    "list_type": "une liste est attendue",
    "too_short": "trop peu d’éléments : {min_length} au moins",
    "too_long": "trop d’éléments : {max_length} au plus",
    "model_attributes_type": "un objet JSON est attendu",
    "dict_type": "un objet JSON est attendu",
}


def in_french(errors: list[dict]) -> list[dict]:
    translated = []
    for error in errors:
        template = IN_FRENCH.get(error.get("type", ""))
        if template is not None:
            with contextlib.suppress(KeyError, IndexError):
                ctx = {k: str(v).replace(" or ", " ou ") for k, v in error.get("ctx", {}).items()}
                error = {**error, "msg": template.format(**ctx)}
        translated.append(error)
    return translated


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    """422: each refused field, with what to fix in French where pydantic said it in English."""
    return api.create_response(request, {"detail": in_french(exc.errors)}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    detail = str(exc)
    if exc.status_code == 400:
        detail = "Corps de requête illisible : un objet JSON est attendu, en UTF-8."
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    detail = str(exc) or "Vous n’avez pas le droit de faire cette modification."
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Aucune ressource n’a cette clé."}, status=404)


@api.exception_handler(editing.Problem)
def problem(request, exc: editing.Problem):
    response = api.create_response(request, exc.body, status=exc.status)
    for name, value in exc.headers.items():
        response[name] = value
    return response


@api.get(
    "/sections",
    response={200: list[schemas.SectionOut], 422: schemas.ValidationProblem},
    summary="L’arbre des sections",
    tags=["catalogue"],
)
def sections(request):
    rows = list(Section.objects.order_by("order", "slug"))
    counts = dict(
        Placement.objects.filter(resource__status=Resource.Status.ACTIVE)
        .values_list("section_id")
        .annotate(n=Count("id"))
    )
    nodes = {s.pk: _section(s, counts.get(s.pk, 0)) for s in rows}
    by_slug = {s.pk: s.slug for s in rows}
    roots = []
    for section in rows:
        parent = nodes.get(section.parent_id)
        nodes[section.pk]["parent"] = by_slug.get(section.parent_id)
        (parent["children"] if parent is not None else roots).append(nodes[section.pk])
    return roots


def _section(section: Section, count: int) -> dict:
    if section.is_glossary:
        pdf = None
    elif section.is_home:
        pdf = absolute(reverse("edition:full"))
    else:
        pdf = absolute(reverse("edition:section", args=[section.slug]))
    return {
        "slug": section.slug,
        "title": section.title,
        "heading": section.heading,
        "intro": section.intro,
        "home": section.is_home,
        "glossary": section.is_glossary,
        "resource_count": count,
        "page_url": absolute(section.get_absolute_url()),
        "pdf_url": pdf,
        "children": [],
    }


@api.get(
    "/resources",
    response={200: schemas.ResourcePage, 422: schemas.ValidationProblem},
    summary="Les ressources, filtrées et paginées",
    tags=["catalogue"],
)
def resources(request, filters: Query[schemas.ResourceFilters], paging: Query[schemas.Paging]):
    found = _filtered(filters).order_by("key")
    count = found.count()
    page = list(_described(found)[paging.offset : paging.offset + paging.limit])
    return {**page_links(request, paging, count), "items": _resources(page)}


KEY = Path(..., description="Clé de la ressource (`key`).")


@api.get(
    "/resources/{path:key}",
    response={200: schemas.ResourceOut, **ERRORS},
    summary="Une ressource (son ETag porte sa révision, pour If-Match)",
    tags=["catalogue"],
)
def resource(request, response: HttpResponse, key: str = KEY):
    found = _described(Resource.objects.filter(key=_text(key))).first()
    if found is None:
        return Status(404, {"detail": "Aucune ressource n’a cette clé."})
    response["ETag"] = resource_etag(found.key, found.revision, current_state())
    return _resources([found])[0]


@api.post(
    "/resources",
    response={201: schemas.ResourceOut, **WRITE_ERRORS},
    auth=auth.EDITORS,
    summary="Ajouter une ressource (éditeur)",
    tags=["écriture"],
)
def create_resource(request, response: HttpResponse, payload: schemas.ResourceCreate):
    created = editing.create_resource(request.user, payload)
    response["Location"] = absolute(reverse("api-v1:resource", args=[created.key]))
    return Status(201, _written(created, response))


@api.put(
    "/resources/{path:key}",
    response={
        200: schemas.ResourceOut,
        404: schemas.Problem,
        412: schemas.Conflict,
        428: schemas.Problem,
        **WRITE_ERRORS,
    },
    auth=auth.EDITORS,
    summary="Remplacer une ressource (éditeur ; If-Match obligatoire)",
    tags=["écriture"],
)
def replace_resource(
    request,
    response: HttpResponse,
    payload: schemas.ResourceIn,
    key: str = KEY,
    if_match: str | None = Header(
        None, alias="If-Match", description="L’ETag lu avec GET /resources/{key}."
    ),
):
    replaced = editing.replace_resource(request, key, payload, if_match)
    return _written(replaced, response)


@api.get(
    "/glossary",
    response={200: list[schemas.GlossaryTermOut], 422: schemas.ValidationProblem},
    summary="Le glossaire des sigles",
    tags=["catalogue"],
)
def glossary(request):
    return [
        {
            "term": t.term,
            "expansion": t.expansion,
            "definition": t.definition,
            "page_url": absolute(t.get_absolute_url()),
        }
        for t in GlossaryTerm.objects.order_by("order", "term")
    ]


@api.get(
    "/news",
    response={200: schemas.NewsPage, 422: schemas.ValidationProblem},
    summary="Quoi de neuf : ressources ajoutées, modifiées, retirées",
    tags=["catalogue"],
)
def news(
    request,
    paging: Query[schemas.Paging],
    filters: Query[schemas.NewsFilters],
):
    found = Resource.objects.order_by("-changed_at", "key")
    if filters.since is not None:
        found = found.filter(changed_at__gte=_aware(filters.since))
    count = found.count()
    page = list(_described(found)[paging.offset : paging.offset + paging.limit])
    return {
        **page_links(request, paging, count),
        "items": [
            {**_event(r), "resource": shown}
            for r, shown in zip(page, _resources(page), strict=True)
        ],
    }


@api.get(
    "/vocabularies",
    response={200: schemas.Vocabularies, 422: schemas.ValidationProblem},
    summary="Les valeurs des filtres : types, formats, profils, vagues, éditeurs, régions",
    tags=["catalogue"],
)
def vocabularies(request):
    def terms(model):
        return [
            {"slug": t.slug, "label": t.label, "description": t.description}
            for t in model.objects.order_by("order", "slug")
        ]

    return {
        "kinds": terms(Kind),
        "formats": terms(Format),
        "profiles": terms(SoftwareProfile),
        "waves": terms(Wave),
        "publishers": list(
            Publisher.objects.order_by("order", "slug").values("slug", "name", "short_name", "url")
        ),
        "regions": [
            {
                "code": r.code,
                "name": r.name,
                "insee": r.insee,
                "iso": r.iso,
                "pdf_url": absolute(reverse("edition:region", args=[r.code])),
            }
            for r in Region.objects.order_by("order", "name")
        ],
    }


@api.get(
    "/editions",
    response={200: list[schemas.EditionOut], 422: schemas.ValidationProblem},
    summary="Les éditions PDF publiées, de la plus récente à la plus ancienne",
    tags=["éditions"],
)
def editions(request):
    return [
        {
            "number": e.number,
            "published_at": e.published_at,
            "pdf_url": absolute(e.get_absolute_url()),
        }
        for e in Edition.objects.defer("pdf").order_by("-number")
    ]


# --- helpers -------------------------------------------------------------------


def _text(value: str) -> str:
    # PostgreSQL refuses NUL in a string literal (a 500 otherwise); no slug,
    # key or code holds one, so such a filter simply matches nothing.
    return value.replace("\x00", "\ufffd")


def _aware(value: datetime) -> datetime:
    """A filter date the database accepts: aware, and within the years it can store."""
    if timezone.is_naive(value):
        value = value.replace(tzinfo=timezone.get_current_timezone())
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return (
            datetime.min.replace(tzinfo=UTC) if value.year < 2 else datetime.max.replace(tzinfo=UTC)
        )


def _filtered(filters: schemas.ResourceFilters):
    found = Resource.objects.all()
    by_slug = {
        "kind": "kind__slug",
        "format": "format__slug",
        "publisher": "publisher__slug",
        "profile": "profile__slug",
        "wave": "wave__slug",
    }
    for name, lookup in by_slug.items():
        value = getattr(filters, name)
        if value is not None:
            found = found.filter(**{lookup: _text(value)})
    if filters.section is not None:
        found = found.filter(placements__section__slug=_text(filters.section)).distinct()
    if filters.region is not None:
        region = _text(filters.region.strip())
        if region.lower() == "national":
            found = found.filter(region__isnull=True)
        else:
            code = region.upper()
            found = found.filter(Q(region__code=code) | Q(region__insee=code) | Q(region__iso=code))
    if filters.status is not None:
        found = found.filter(status=filters.status)
    if filters.changed_since is not None:
        found = found.filter(changed_at__gte=_aware(filters.changed_since))
    return found


def _described(queryset):
    """With vocabularies joined and placements in order (`.ordered`): two queries a page."""
    placements = Placement.objects.select_related("section").order_by(
        "section__order", "section__slug", "order", "pk"
    )
    return queryset.select_related(
        "kind", "format", "publisher", "profile", "wave", "region"
    ).prefetch_related(Prefetch("placements", queryset=placements, to_attr="ordered"))


def _resources(page: list[Resource]) -> list[dict]:
    """A page of resources as the API shows them; their links read in one query."""
    checked = links.links_for(r.url for r in page)
    return [
        {
            **resource_as_dict(r, r.ordered),
            "page_url": absolute(r.get_absolute_url()),
            "revision": r.revision,
            "link": links.health_of(r.url, checked),
        }
        for r in page
    ]


def _written(resource: Resource, response: HttpResponse) -> dict:
    """The resource as now stored, with the ETag of its new revision."""
    fresh = _described(Resource.objects.filter(pk=resource.pk)).get()
    response["ETag"] = resource_etag(fresh.key, fresh.revision, current_state())
    return _resources([fresh])[0]


def _event(resource: Resource) -> dict:
    if resource.is_archived():
        return {"event": "archived", "date": resource.changed_at}
    # A new resource gets added_at and changed_at from two clock reads a few
    # microseconds apart; an edit moves changed_at on, well past a second.
    if resource.changed_at - resource.added_at < timedelta(seconds=1):
        return {"event": "added", "date": resource.added_at}
    return {"event": "changed", "date": resource.changed_at}
