"""The editors' dossier screens under /gestion/dossiers/: the list (with what needs
attention) and the form that composes a dossier.

Every write goes through `services.save`, hence `sommaire.editors.permissions`:
a regional editor neither sees nor opens another region's dossier (403), and
cannot move one of theirs out of their regions.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from sommaire.catalog.models import EditConflict
from sommaire.dossiers import services
from sommaire.dossiers.forms import (
    DossierForm,
    act,
    describe,
    dossier_input,
    rows_from,
    rows_of,
    with_errors,
)
from sommaire.dossiers.models import Dossier
from sommaire.editors import permissions


def editors_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("workspace:sign-in"))
        if not permissions.is_editor(request.user):
            raise PermissionDenied("Réservé aux éditeurs.")
        return view(request, *args, **kwargs)

    return wrapper


@editors_only
def dossier_list(request):
    dossiers = list(services.editable_dossiers(request.user).prefetch_related("items"))
    return render(
        request,
        "dossiers/manage/list.html",
        {
            "dossiers": dossiers,
            "notices": services.notices_for_editor(request.user),
        },
    )


@editors_only
@require_http_methods(["GET", "POST"])
def create(request):
    return _compose(request, None)


@editors_only
@require_http_methods(["GET", "POST"])
def edit(request, slug: str):
    return _compose(request, _editable(request, slug))


@editors_only
def history(request, slug: str):
    """Who changed the dossier, when, and which of its fields (read only)."""
    dossier = _editable(request, slug)
    versions = list(dossier.history.select_related("history_user").order_by("-history_date"))
    changes = []
    for version, older in zip(versions, [*versions[1:], None], strict=True):
        fields = version.diff_against(older).changed_fields if older is not None else []
        labels = [str(Dossier._meta.get_field(name).verbose_name) for name in fields]
        changes.append({"version": version, "fields": labels, "created": older is None})
    return render(request, "dossiers/manage/history.html", {"dossier": dossier, "changes": changes})


def _editable(request, slug: str) -> Dossier:
    dossier = services.editable_dossiers(request.user).filter(slug=slug).first()
    if dossier is None:
        if Dossier.objects.filter(slug=slug).exists():
            raise PermissionDenied("Ce dossier n’est pas dans votre périmètre.")
        raise Http404("Aucun dossier n’a cet identifiant.")
    return dossier


def _compose(request, dossier: Dossier | None):
    user = request.user
    if request.method == "GET":
        initial = DossierForm.initial_for(dossier) if dossier else {}
        form = DossierForm(user, initial=initial)
        return _form_page(request, dossier, form, rows_of(dossier) if dossier else [])
    form = DossierForm(user, request.POST)
    rows = rows_from(request.POST)
    action = _action(request.POST)
    if action != "save":
        outcome = act(action, rows, request.POST)
        form.is_valid()  # show the fields as typed, errors only on save
        form.errors.clear()
        return _form_page(request, dossier, form, outcome.rows, outcome.found, outcome.message)
    if not form.is_valid():
        return _form_page(request, dossier, form, rows, error=True)
    try:
        saved = services.save(
            user, dossier, dossier_input(form, rows), form.cleaned_data["revision"]
        )
    except services.Invalid as invalid:
        for name, message in invalid.errors:
            if name in form.fields:
                form.add_error(name, message)
        return _form_page(request, dossier, form, with_errors(rows, invalid.errors), error=True)
    except EditConflict:
        return _conflict(request, dossier, form, rows)
    except PermissionDenied as refused:
        form.add_error("region", str(refused))
        return _form_page(request, dossier, form, rows, error=True)
    messages.success(request, f"Dossier « {saved.title} » enregistré.")
    return redirect(saved.get_edit_url())


def _action(post) -> str:
    """The button pressed; Enter in a field ("default") adds what the "Ajouter" fields hold."""
    action = post.get("action", "save")
    if action != "default":
        return action
    if post.get("add-query", "").strip():
        return "search"
    if post.get("add-heading", "").strip():
        return "heading"
    return "save"


def _conflict(request, dossier: Dossier, form: DossierForm, rows):
    changes = dossier.changes_since(form.cleaned_data["revision"] or 0)
    who = ", ".join(changes.authors()) or "un autre éditeur"
    # The next save takes the current revision: the editor was told, and chooses.
    data = request.POST.copy()
    data["revision"] = dossier.current_revision()
    form = DossierForm(request.user, data)
    form.is_valid()
    form.errors.clear()
    message = (
        f"Ce dossier a été modifié entre-temps par {who}. Rien n’a été enregistré. "
        "Vos modifications sont toujours dans le formulaire : enregistrez à nouveau pour "
        "remplacer les siennes, ou ouvrez le dossier à nouveau pour repartir de sa version."
    )
    return _form_page(request, dossier, form, rows, conflict=message)


def _form_page(request, dossier, form, rows, found=(), message="", error=False, conflict=""):
    return render(
        request,
        "dossiers/manage/form.html",
        {
            "dossier": dossier,
            "form": form,
            "rows": describe(rows),
            "found": found,
            "message": message,
            "error": error or bool([r for r in rows if r.errors]),
            "conflict": conflict,
            "page_title": f"Modifier le dossier « {dossier.title} »"
            if dossier
            else "Nouveau dossier",
        },
    )
