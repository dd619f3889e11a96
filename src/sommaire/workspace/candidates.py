"""The review queue (/gestion/candidats/): what the watcher proposes, for a person to decide.

A candidate belongs to the region of its page (or is national); an editor
reviews the candidates of their scope. Accepting goes through the watcher's
own `Candidate.accept` / `accept_removal`, after checking the scope of every
row it touches: the candidate, the resource to publish, the predecessor it
archives or the resource gone from its page.
"""

from datetime import datetime, time

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from sommaire.catalog.models import Kind, Section
from sommaire.editors import permissions
from sommaire.watch.forms import AcceptForm
from sommaire.watch.models import Candidate
from sommaire.workspace.access import requires
from sommaire.workspace.forms import DsfrMixin
from sommaire.workspace.todo import candidates_by_change

PAGE_SIZE = 25


def queue(user):
    """The open candidates of this person's scope, with what the page shows of each."""
    return permissions.in_scope(user, Candidate.objects.open()).select_related(
        "kind", "format", "profile", "wave", "publisher", "section", "source", "region",
        "predecessor__kind", "predecessor__format", "predecessor__profile",
        "predecessor__wave", "predecessor__publisher",
    )  # fmt: skip


class Filters(DsfrMixin, forms.Form):
    section = forms.ModelChoiceField(
        Section.objects.order_by("order", "title"), required=False, empty_label="Toutes"
    )
    kind = forms.ModelChoiceField(Kind.objects.all(), required=False, empty_label="Tous")
    change = forms.ChoiceField(choices=[("", "Tous"), *Candidate.Change.choices], required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].label = "Rubrique"
        self.fields["kind"].label = "Type de document"
        self.fields["change"].label = "Changement"

    def apply(self, candidates):
        if not self.is_valid():
            return candidates
        wanted = {name: value for name, value in self.cleaned_data.items() if value}
        return candidates.filter(**wanted)


class DismissForm(DsfrMixin, forms.Form):
    reason = forms.CharField(
        label="Motif",
        max_length=500,
        help_text="Pourquoi ce document ne rejoint pas le sommaire (hors sujet, doublon…). "
        "Il ne sera plus proposé.",
        error_messages={"required": "Indiquez le motif : il reste dans l’historique du candidat."},
    )


class DismissManyForm(DismissForm):
    candidates = forms.ModelMultipleChoiceField(
        Candidate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un candidat à écarter."},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = queue(user)


class SnoozeForm(DsfrMixin, forms.Form):
    until = forms.DateField(
        label="Reporter jusqu’au",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Le candidat revient dans la file ce jour-là.",
        error_messages={
            "required": "Indiquez une date.",
            "invalid": "Indiquez une date au format jj/mm/aaaa.",
        },
    )

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= timezone.localdate():
            raise forms.ValidationError("Choisissez une date à venir.")
        return until

    def moment(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["until"], time(0, 0)))


@requires("review-candidates")
def index(request, bulk: DismissManyForm | None = None):
    filters = Filters(request.GET or None)
    candidates = filters.apply(queue(request.user))
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = candidates_by_change(request.user)
    return render(
        request,
        "workspace/candidates/index.html",
        {
            "filters": filters,
            "page": page,
            "counts": [(v, label, counts.get(v, 0)) for v, label in Candidate.Change.choices],
            "bulk": bulk or DismissManyForm(user=request.user),
            "selected": {str(pk) for pk in request.POST.getlist("candidates")},
            "query": _without_page(request),
        },
    )


def _without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@requires("review-candidates")
@require_POST
def dismiss_many(request):
    form = DismissManyForm(request.POST, user=request.user)
    if not form.is_valid():
        return index(request, bulk=form)
    chosen = list(form.cleaned_data["candidates"])
    for candidate in chosen:
        candidate.dismiss(request.user, form.cleaned_data["reason"])
    messages.success(request, f"{len(chosen)} candidat(s) écarté(s).")
    return redirect("workspace:candidates")


def _open_candidate(request, pk: int) -> Candidate:
    candidates = Candidate.objects.select_related("predecessor", "resource", "source", "section")
    return permissions.get_in_scope(request.user, candidates, pk)


def _already_decided(request):
    messages.warning(request, "Ce candidat a déjà été examiné.")
    return redirect("workspace:candidates")


@requires("review-candidates")
def review(request, pk: int):
    candidate = _open_candidate(request, pk)
    if not candidate.is_open():
        return _already_decided(request)
    if candidate.change == Candidate.Change.REMOVED:
        return _review_removal(request, candidate)
    if candidate.predecessor and not permissions.can_edit_region(
        request.user, candidate.predecessor.region_id
    ):
        raise PermissionDenied("La version précédente n’est pas dans votre périmètre.")
    form = WorkspaceAcceptForm.for_candidate(candidate, request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        resource = form.save(commit=False)
        permissions.check_resource_write(request.user, resource)
        if "section" in form.cleaned_data:
            candidate.section = form.cleaned_data["section"]
        candidate.accept(resource, request.user, form.cleaned_data.get("group", ""))
        messages.success(request, f"« {resource.title} » est publiée.")
        return redirect("workspace:candidates")
    return _render_review(request, candidate, form)


class WorkspaceAcceptForm(DsfrMixin, AcceptForm):
    pass


def _review_removal(request, candidate: Candidate):
    resource = candidate.resource
    if resource is not None and not permissions.can_edit_region(request.user, resource.region_id):
        raise PermissionDenied("Cette fiche n’est pas dans votre périmètre.")
    if request.method == "POST":
        candidate.accept_removal(request.user)
        messages.success(request, f"« {candidate.title} » est archivée.")
        return redirect("workspace:candidates")
    return _render_review(request, candidate, None)


def _render_review(request, candidate: Candidate, form):
    return render(
        request, "workspace/candidates/review.html", {"candidate": candidate, "form": form}
    )


@requires("review-candidates")
def dismiss(request, pk: int):
    candidate = _open_candidate(request, pk)
    if not candidate.is_open():
        return _already_decided(request)
    form = DismissForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        candidate.dismiss(request.user, form.cleaned_data["reason"])
        messages.success(request, f"« {candidate.title} » est écarté.")
        return redirect("workspace:candidates")
    return _decision_page(request, candidate, form, "dismiss")


@requires("review-candidates")
def snooze(request, pk: int):
    candidate = _open_candidate(request, pk)
    if not candidate.is_open():
        return _already_decided(request)
    form = SnoozeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        candidate.snooze(user=request.user, until=form.moment())
        back = date_format(form.cleaned_data["until"], "j F Y")
        messages.success(request, f"« {candidate.title} » revient dans la file le {back}.")
        return redirect("workspace:candidates")
    return _decision_page(request, candidate, form, "snooze")


def _decision_page(request, candidate, form, decision: str):
    context = {"candidate": candidate, "form": form, "decision": decision}
    return render(request, "workspace/candidates/decide.html", context)
