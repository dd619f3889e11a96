"""Dossiers in API v1: read the published ones, write them as an editor.

`GET /dossiers` lists the published, listed dossiers; `GET /dossiers/{slug}`
gives a draft or an unlisted dossier only to editors of its scope (token or
session), privately cached. Writes go through `dossiers.services.save` (the
validation and the permissions of the editor's form) with the same token
authentication, If-Match rule and error shapes as resources (`api.editing`).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from ninja import Header, Path, Query, Router, Status

from sommaire.api import auth, schemas
from sommaire.api.editing import Problem, conflict, named_revisions, safe
from sommaire.api.http import absolute, current_state, page_links, resource_etag
from sommaire.catalog.models import EditConflict, Region
from sommaire.dossiers import services
from sommaire.dossiers.models import Dossier
from sommaire.editors import permissions

router = Router(tags=["dossiers"])

SLUG = Path(..., description="Identifiant du dossier (`slug`).")
UNKNOWN = {"detail": "Aucun dossier publié n’a cet identifiant."}
WRITE_ERRORS = {
    400: schemas.Problem,
    401: schemas.Problem,
    403: schemas.Problem,
    422: schemas.ValidationProblem,
}
# The API name of each stored field a 412 may report, and how to show its value.
REPORTED = {
    "slug": ("slug", None),
    "title": ("title", None),
    "audience": ("audience", None),
    "region_id": ("region", (Region, "code")),
    "visibility": ("visibility", None),
    "status": ("status", None),
}


@router.get(
    "/dossiers",
    response={200: schemas.DossierPage, 422: schemas.ValidationProblem},
    summary="Les dossiers publiés et listés",
)
def dossiers(request, paging: Query[schemas.Paging]):
    found = services.listed()
    count = found.count()
    page = found[paging.offset : paging.offset + paging.limit]
    return {**page_links(request, paging, count), "items": [services.as_dict(d) for d in page]}


@router.get(
    "/dossiers/{path:slug}",
    response={
        200: schemas.DossierOut,
        401: schemas.Problem,
        404: schemas.Problem,
        422: schemas.ValidationProblem,
    },
    summary="Un dossier (brouillon ou non listé : pour les éditeurs de son périmètre)",
)
def dossier(request, response: HttpResponse, slug: str = SLUG):
    user = _reader(request)
    found = services.with_items(Dossier.objects.filter(slug=safe(slug))).first()
    if found is None:
        return Status(404, UNKNOWN)
    if not found.is_listed():
        if not permissions.can_edit_region(user, found.region_id):
            return Status(404, UNKNOWN)
        # An editor's view: never kept by a shared cache.
        patch_cache_control(response, private=True)
        patch_vary_headers(response, ("Authorization", "Cookie"))
    response["ETag"] = resource_etag(found.slug, found.revision, current_state())
    return services.as_dict(found)


@router.post(
    "/dossiers",
    response={201: schemas.DossierOut, **WRITE_ERRORS},
    auth=auth.EDITORS,
    summary="Créer un dossier (éditeur)",
    tags=["écriture"],
)
def create_dossier(request, response: HttpResponse, payload: schemas.DossierCreate):
    if not permissions.is_editor(request.user):
        raise PermissionDenied("Seul un éditeur peut créer un dossier.")
    created = _save(request.user, None, payload, payload.slug, None)
    response["Location"] = absolute(reverse("api-v1:dossier", args=[created.slug]))
    return Status(201, _written(created, response))


@router.put(
    "/dossiers/{path:slug}",
    response={
        200: schemas.DossierOut,
        404: schemas.Problem,
        412: schemas.Conflict,
        428: schemas.Problem,
        **WRITE_ERRORS,
    },
    auth=auth.EDITORS,
    summary="Remplacer un dossier (éditeur ; If-Match obligatoire)",
    tags=["écriture"],
)
def replace_dossier(
    request,
    response: HttpResponse,
    payload: schemas.DossierIn,
    slug: str = SLUG,
    if_match: str | None = Header(
        None, alias="If-Match", description="L’ETag lu avec GET /dossiers/{slug}."
    ),
):
    found = Dossier.objects.filter(slug=safe(slug)).first()
    if found is None:
        raise Problem(404, UNKNOWN)
    if not permissions.can_edit_region(request.user, found.region_id):
        raise PermissionDenied("Ce dossier n’est pas dans votre périmètre.")
    named = named_revisions(if_match, read="GET /api/v1/dossiers/{slug}")
    expected = found.revision if found.revision in named else min(named, default=-1)
    if expected != found.revision:
        raise _conflict(found, expected)
    return _written(_save(request.user, found, payload, found.slug, expected), response)


def _reader(request):
    """Who reads: a token's holder (a bad token is a 401), else the session's user."""
    if "Authorization" in request.headers:
        return auth.EditorToken()(request)
    return request.user


def _save(user, dossier, payload: schemas.DossierIn, slug: str, expected):
    data = services.DossierInput(
        slug=slug,
        title=payload.title,
        audience=payload.audience,
        region=payload.region,
        visibility=payload.visibility,
        status=payload.status,
        items=[
            services.ItemInput(resource=i.resource, heading=i.heading or "", note=i.note)
            for i in payload.items
        ],
    )
    try:
        return services.save(user, dossier, data, expected)
    except services.Invalid as invalid:
        errors = [_error(name, message) for name, message in invalid.errors]
        raise Problem(422, {"detail": errors}) from None
    except EditConflict:
        raise _conflict(dossier, expected) from None


def _error(name: str, message: str) -> dict:
    loc = [int(part) if part.isdigit() else part for part in name.split(".")]
    return {"loc": ["body", "payload", *loc], "msg": message, "type": "value_error"}


def _conflict(dossier: Dossier, expected: int) -> Problem:
    return conflict(dossier, expected, key=dossier.slug, reported=REPORTED, what="Le dossier")


def _written(dossier: Dossier, response: HttpResponse) -> dict:
    fresh = services.with_items(Dossier.objects.filter(pk=dossier.pk)).get()
    response["ETag"] = resource_etag(fresh.slug, fresh.revision, current_state())
    return services.as_dict(fresh)
