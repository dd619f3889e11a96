"""The catalog in the workspace: /gestion/ressources/ and each resource's form.

Every editor reads every resource; each writes only what
`sommaire.editors.permissions` gives them, checked on the resource as it is
and as it will be. Saving goes through the back-office's machinery: the
revision check of `RevisionForm` (no lost update), the history of
`editors.history` (placements included) and its revert.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from simple_history.template_utils import HistoricalRecordContextHelper

from sommaire.catalog.models import CatalogEvent, EditConflict, Resource, Section
from sommaire.editors import history, permissions
from sommaire.editors.backoffice import ReadableChanges
from sommaire.public.cache import catalog_generation
from sommaire.search import page
from sommaire.workspace import resource_tree
from sommaire.workspace.access import requires
from sommaire.workspace.addresses import AddressRefused, check_address
from sommaire.workspace.resource_forms import PlacementFormSet, ResourceForm, known_groups

CHANGE_REASON = "modification dans l’espace des éditeurs"
CREATE_REASON = "ajout dans l’espace des éditeurs"


@requires("edit-resources")
def catalog(request):
    """The sommaire's tree with every resource; with `q`, the site's search instead."""
    if request.GET.get("q", "").strip():
        return render(request, "workspace/resources/search.html", _search(request))
    found = resource_tree.build(request.user, request.GET)
    tally = found.tally(catalog_generation(request))
    regional = permissions.role_of(request.user) == permissions.REGIONAL
    mine = permissions.assignable_regions(request.user) if regional else []
    return render(
        request,
        "workspace/resources/catalog.html",
        {
            "found": found,
            "total": tally.total,
            "facets": [f for f in tally.facets if f.facet.name != "section"],
            "chips": [f for f in tally.facets if f.selected()],
            "may_add": _may_add(request.user),
            "regional": regional,
            "my_regions": [(r, found.filters.url(region=r.code)) for r in mine],
        },
    )


def _search(request) -> dict:
    found = page.build(request.GET)
    for result in found.results:
        result.resource.editable = permissions.can_edit_region(
            request.user, result.resource.region_id
        )
    return {"found": found}


def _may_add(user) -> bool:
    return permissions.may_leave_national(user) or permissions.assignable_regions(user).exists()


@requires("edit-resources")
def create(request):
    if not _may_add(request.user):
        raise PermissionDenied("Votre rôle ne permet pas d’ajouter une ressource.")
    return _form_page(request, Resource(), editable=True, placed=_placed_here(request.GET))


@requires("edit-resources")
def edit(request, key: str):
    resource = get_object_or_404(Resource, key=key)
    editable = permissions.can_edit_region(request.user, resource.region_id)
    if request.method == "POST" and not editable:
        raise PermissionDenied("Cette fiche n’est pas dans votre périmètre.")
    return _form_page(request, resource, editable=editable)


def _placed_here(params) -> list[dict]:
    """The placement "Ajouter ici" asked for: a section and a group of the tree."""
    section = Section.objects.filter(slug=params.get("section", ""), is_glossary=False).first()
    if section is None:
        return []
    return [{"section": section, "group": params.get("group", "")[:200]}]


def _form_page(request, resource: Resource, *, editable: bool, placed=None, version=None):
    """Show, check or save the form of `resource` (or of its old `version`).

    `editable` is judged on the resource as it is now; where the form would
    put it is checked when saving.
    """
    data = request.POST if request.method == "POST" else None
    form = ResourceForm(data, instance=resource, user=request.user)
    formset = PlacementFormSet(data, instance=resource, initial=placed, prefix="placements")
    context = {"form": form, "formset": formset, "resource": resource, "editable": editable}
    if not editable:
        form.lock()
        for placement_form in formset:
            for field in placement_form.fields.values():
                field.disabled = True
    elif data is not None and "check" in data:
        context["form"], context["check"] = _check_and_fill(request, resource)
    elif data is not None and form.is_valid() and (version or formset.is_valid()):
        try:
            saved = _save(request, form, formset, version)
        except EditConflict:
            # Someone saved between the check and the write; nothing was kept.
            # Showing the form again runs the merge against their version.
            resource.refresh_from_db()
            return _form_page(request, resource, editable=editable, placed=placed, version=version)
        return redirect("workspace:resource", key=saved.key)
    if version is not None:
        then = history.placements_at(version)
        context.update(
            version=version,
            placements_then=then,
            sections_left=history.sections_left_since(version.id, then),
            # Its region then is not one this person may give: the form offers theirs.
            region_out_of_reach=not permissions.can_edit_region(request.user, resource.region_id),
        )
    context["groups"] = known_groups(formset)
    return render(request, "workspace/resources/form.html", context)


def _check_and_fill(request, resource: Resource) -> tuple[ResourceForm, dict]:
    """The no-JavaScript "Vérifier l’adresse": check, and fill what the editor left empty.

    The form comes back as typed, unvalidated (nothing is saved, so nothing
    to correct yet), with the revision the editor opened kept for the save.
    """
    data = request.POST
    initial = {name: data.get(name, "") for name in ResourceForm.Meta.fields}
    try:
        found = check_address(data.get("url", ""))
    except AddressRefused as refused:
        check = {"refused": str(refused)}
    else:
        check = {"found": found}
        for name in ("kind", "format", "profile", "wave"):
            term = getattr(found, name)
            if term is not None and not initial[name]:
                initial[name] = term.pk
        initial["version"] = initial["version"] or found.version
    form = ResourceForm(instance=resource, user=request.user, initial=initial)
    form.initial["expected_revision"] = data.get("expected_revision", "")
    return form, check


def _save(request, form, formset, version=None) -> Resource:
    user = request.user
    resource = form.save(commit=False)
    permissions.check_resource_write(user, resource)
    adding = resource._state.adding
    was_active = not adding and Resource.objects.filter(pk=resource.pk, status="active").exists()
    resource._history_user = user
    resource._change_reason = (
        history.reverted_to(version) if version else CREATE_REASON if adding else CHANGE_REASON
    )
    with transaction.atomic():
        if adding:
            resource.save()
        else:
            resource.changed_at = timezone.now()
            resource.save_edit(form.cleaned_data["expected_revision"])
        if version is None:
            formset.instance = resource
            formset.save_for(user, resource._change_reason)
        else:
            for standing in history.restore_placements(resource, version, user):
                messages.warning(request, f"Emplacement non rétabli : {standing.title}.")
        if adding and not resource.is_archived():
            CatalogEvent.record(CatalogEvent.Kind.ADDED, resource)
        elif was_active and resource.is_archived():
            CatalogEvent.record(CatalogEvent.Kind.ARCHIVED, resource)
    done = "ajoutée" if adding else "rétablie" if version else "enregistrée"
    messages.success(request, f"La ressource « {resource.title} » a été {done}.")
    return resource


@require_POST
@requires("edit-resources")
def check(request):
    """The address check of the form's script: an HTML fragment, or JSON on `format=json`."""
    try:
        found = check_address(request.POST.get("url", ""))
    except AddressRefused as refused:
        if request.POST.get("format") == "json":
            return JsonResponse({"error": str(refused)}, status=400)
        return render(request, "workspace/resources/check.html", {"check": {"refused": refused}})
    if request.POST.get("format") == "json":
        return JsonResponse(found.as_json())
    return render(request, "workspace/resources/check.html", {"check": {"found": found}})


@requires("edit-resources")
def history_page(request, key: str):
    resource = get_object_or_404(Resource, key=key)
    records = list(resource.history.select_related("history_user").order_by("-history_date"))
    for newer, older in zip(records, records[1:], strict=False):
        delta = newer.diff_against(older, foreign_keys_are_objs=True)
        helper: HistoricalRecordContextHelper = ReadableChanges(Resource, newer)
        newer.changes = helper.context_for_delta_changes(delta)
    return render(
        request,
        "workspace/resources/history.html",
        {
            "resource": resource,
            "records": records,
            "placement_changes": history.placement_changes(resource.pk),
            "editable": permissions.can_edit_region(request.user, resource.region_id),
        },
    )


@requires("edit-resources")
def version_page(request, key: str, history_id: int):
    resource = get_object_or_404(Resource, key=key)
    record = resource.history.filter(history_id=history_id).first()
    if record is None:
        raise Http404("Cette version n’existe pas.")
    # Judged on the resource as it is now: the old version may have stood in a
    # region this person holds. Its own region is checked when saving.
    editable = permissions.can_edit_region(request.user, resource.region_id)
    if request.method == "POST" and not editable:
        raise PermissionDenied("Cette fiche n’est pas dans votre périmètre.")
    old = record.instance
    old._state.adding = False  # a row to update, with its revision check
    return _form_page(request, old, editable=editable, version=record)
