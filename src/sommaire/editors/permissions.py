"""Who may write what: the one place where the rule lives.

- administrator: everything, accounts included;
- national editor: the national part (resources without a region), the
  section tree, the glossary and the vocabularies;
- regional editor: the resources and contacts of their own regions, and
  nothing else; a resource they create must belong to one of them.

Dossiers (`sommaire.dossiers`) follow the same rule by their region: a
national editor writes national dossiers, a regional editor those of their
regions. This module does not import them (dossiers stand on editors, not the
reverse): the dossier helpers below take a dossier or a queryset of them.

Every write path asks here: the back-office (`catalog/admin.py`), the API and
any command that writes for a person. A write is checked twice, on the row as
it is (may this person touch it?) and on the row as it will be (may this
person put it there?), so nobody can move a row into or out of their reach.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from sommaire.catalog.models import Contact, Region, Resource
from sommaire.editors.models import Editor

ADMIN, NATIONAL, REGIONAL = Editor.Role.ADMIN, Editor.Role.NATIONAL, Editor.Role.REGIONAL


def role_of(user) -> str | None:
    """The person's role, or None for a reader (anonymous, inactive or without a role)."""
    # The role row is the one truth: Django's is_superuser flag follows it
    # (Editor.sync_user_flags) but grants nothing here, so an account whose
    # role was removed, or a superuser made outside Sommaire, is a reader.
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, "_editor_role"):
        editor = Editor.objects.filter(user=user).only("role").first()
        user._editor_role = editor.role if editor else None
    return user._editor_role


def region_ids_of(user) -> frozenset[int]:
    """The regions a regional editor holds (empty for every other role)."""
    if role_of(user) != REGIONAL:
        return frozenset()
    if not hasattr(user, "_editor_regions"):
        user._editor_regions = frozenset(
            Region.objects.filter(editors__user=user).values_list("pk", flat=True)
        )
    return user._editor_regions


def is_editor(user) -> bool:
    return role_of(user) is not None


def can_edit_region(user, region_id: int | None) -> bool:
    """May this person write a row of that region (None: a national row)?"""
    role = role_of(user)
    if role == ADMIN:
        return True
    if role == NATIONAL:
        return region_id is None
    if role == REGIONAL:
        return region_id is not None and region_id in region_ids_of(user)
    return False


def can_edit_tree(user) -> bool:
    """Sections, glossary terms, vocabularies and publishers: the national frame."""
    return role_of(user) in (ADMIN, NATIONAL)


def can_manage_accounts(user) -> bool:
    return role_of(user) == ADMIN


def _region_filter(user, field: str = "region") -> Q | None:
    """Rows whose region this person may write; None means all, Q() never matches."""
    role = role_of(user)
    if role == ADMIN:
        return None
    if role == NATIONAL:
        return Q(**{f"{field}__isnull": True})
    if role == REGIONAL:
        return Q(**{f"{field}__in": region_ids_of(user)})
    return Q(pk__in=[])


def in_scope(user, queryset: QuerySet, field: str = "region") -> QuerySet:
    """The rows of `queryset` whose region (`field`, a path to a Region) this person holds.

    For rows that are not catalog rows but belong to a region all the same:
    candidates, watched pages, link problems through their resource.
    """
    where = _region_filter(user, field)
    return queryset if where is None else queryset.filter(where)


def editable_resources(user) -> QuerySet[Resource]:
    where = _region_filter(user)
    return Resource.objects.all() if where is None else Resource.objects.filter(where)


def editable_contacts(user) -> QuerySet[Contact]:
    where = _region_filter(user)
    return Contact.objects.all() if where is None else Contact.objects.filter(where)


def assignable_regions(user) -> QuerySet[Region]:
    """The regions this person may give to a resource or a contact."""
    role = role_of(user)
    if role == ADMIN:
        return Region.objects.all()
    if role == REGIONAL:
        return Region.objects.filter(pk__in=region_ids_of(user))
    return Region.objects.none()


def may_leave_national(user) -> bool:
    """May this person save a resource without a region?"""
    return role_of(user) in (ADMIN, NATIONAL)


def check_write(user, before_region_id, after_region_id, *, adding: bool) -> None:
    """Refuse a write unless the row is this person's both before and after it."""
    if not adding and not can_edit_region(user, before_region_id):
        raise PermissionDenied("Cette fiche n’est pas dans votre périmètre.")
    if not can_edit_region(user, after_region_id):
        raise PermissionDenied("Vous ne pouvez pas placer cette fiche dans cette région.")


def check_resource_write(user, resource: Resource) -> None:
    """For a resource about to be saved (or deleted): before and after."""
    adding = resource._state.adding or resource.pk is None
    before = None if adding else _stored_region(Resource, resource.pk)
    check_write(user, before, resource.region_id, adding=adding)


def check_resource_delete(user, resource: Resource) -> None:
    """For a resource about to be deleted: its own row, and the rows the deletion changes.

    A resource that replaces this one loses its "remplace" link when this one
    goes (on_delete=SET_NULL): that write must be this person's too.
    """
    check_resource_write(user, resource)
    for successor in Resource.objects.filter(replaces=resource).exclude(pk=resource.pk):
        if not can_edit_region(user, successor.region_id):
            raise PermissionDenied(
                f"« {successor.title} », hors de votre périmètre, remplace cette fiche : "
                "archivez-la plutôt que de la supprimer."
            )


def check_contact_write(user, contact: Contact) -> None:
    adding = contact._state.adding or contact.pk is None
    before = None if adding else _stored_region(Contact, contact.pk)
    check_write(user, before, contact.region_id, adding=adding)


def check_dossier_write(user, dossier) -> None:
    """For a dossier about to be saved: before and after, as for a resource."""
    adding = dossier._state.adding or dossier.pk is None
    before = None if adding else _stored_region(type(dossier), dossier.pk)
    check_write(user, before, dossier.region_id, adding=adding)


def can_read_dossier(user, dossier) -> bool:
    """Published dossiers are everyone's; a draft only its editors'."""
    return dossier.is_published() or can_edit_region(user, dossier.region_id)


def can_cite(resource: Resource, dossier_region_id: int | None) -> bool:
    """May a dossier of that region list this resource? Active, national or of its region."""
    return not resource.is_archived() and resource.region_id in (None, dossier_region_id)


def citable_resources(dossier_region_id: int | None) -> QuerySet[Resource]:
    """The resources `can_cite` accepts, as a queryset (the editor's resource search)."""
    regions = Q(region__isnull=True)
    if dossier_region_id is not None:
        regions |= Q(region=dossier_region_id)
    return Resource.objects.active().filter(regions)


def _stored_region(model, pk) -> int | None:
    # The region in the database, not on the instance: a form may already
    # have changed the instance in memory.
    return model._base_manager.filter(pk=pk).values_list("region_id", flat=True).first()


def _get_for_editor(model, queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        pass
    try:
        exists = model._base_manager.filter(pk=pk).exists()
    except (ValueError, TypeError):
        exists = False
    if exists:
        raise PermissionDenied("Cette fiche n’est pas dans votre périmètre.")
    raise Http404(f"{model._meta.verbose_name} introuvable")


def get_in_scope(user, queryset: QuerySet, pk, field: str = "region"):
    """The row `pk` of `queryset` if this person holds its region; 403 if not theirs; else 404."""
    return _get_for_editor(queryset.model, in_scope(user, queryset, field), pk)


def get_resource_for_editor(request, pk) -> Resource:
    """The resource if this person may write it; 403 if it exists but is not theirs; else 404."""
    return _get_for_editor(Resource, editable_resources(request.user), pk)


def get_contact_for_editor(request, pk) -> Contact:
    return _get_for_editor(Contact, editable_contacts(request.user), pk)


# What each role may do in the workspace (/gestion/). A role listed here may
# open the page or attempt the action; each row it touches is then checked
# against the person's regions by the functions above.
WORKSPACE = {
    "open-workspace": {ADMIN, NATIONAL, REGIONAL},
    "review-candidates": {ADMIN, NATIONAL, REGIONAL},
    "fix-links": {ADMIN, NATIONAL, REGIONAL},
    "edit-resources": {ADMIN, NATIONAL, REGIONAL},
    "edit-contacts": {ADMIN, NATIONAL, REGIONAL},
    "edit-frame": {ADMIN, NATIONAL},
    "open-admin": {ADMIN},
}


def may(user, action: str) -> bool:
    """May this person's role do `action` (a key of WORKSPACE) at all?"""
    return role_of(user) in WORKSPACE[action]
