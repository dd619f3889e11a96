"""The review queue (/gestion/candidats/): what the watcher proposes, for a person to decide.

Every decision goes through `sommaire.watch.services`, which checks the
scope of every row it touches (the candidate, the resource to publish, the
predecessor it archives or the resource gone from its page) and decides once
when two editors decide at once. The queue lists what `services.reviewable`
gives this person: the candidates whose decision changes only what they write.
"""

from datetime import datetime, time

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from sommaire.catalog.models import Kind, Section
from sommaire.watch import services
from sommaire.watch.forms import AcceptForm
from sommaire.watch.models import Candidate
from sommaire.workspace.access import requires
from sommaire.workspace.forms import DsfrMixin
from sommaire.workspace.todo import candidates_by_change

PAGE_SIZE = 25


def queue(user):
    """The open candidates of this person's scope, with what the page shows of each."""
    return services.reviewable(user, Candidate.objects.open()).select_related(
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
        try:
            services.dismiss_candidate(candidate, request.user, form.cleaned_data["reason"])
        except services.AlreadyDecided:
            continue
    messages.success(request, f"{len(chosen)} candidat(s) écarté(s).")
    return redirect("workspace:candidates")


def _open_candidate(request, pk: int) -> Candidate:
    candidates = Candidate.objects.select_related("predecessor", "resource", "source", "section")
    candidate = get_object_or_404(candidates, pk=pk)
    services.check_review(request.user, candidate)
    return candidate


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
    form = WorkspaceAcceptForm.for_candidate(candidate, request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        resource = form.save(commit=False)
        if "section" in form.cleaned_data:
            candidate.section = form.cleaned_data["section"]
        try:
            services.accept_candidate(
                candidate, resource, request.user, form.cleaned_data.get("group", "")
            )
        except services.AlreadyDecided:
            return _already_decided(request)
        messages.success(request, f"« {resource.title} » est publiée.")
        return redirect("workspace:candidates")
    return _render_review(request, candidate, form)


class WorkspaceAcceptForm(DsfrMixin, AcceptForm):
    pass


def _review_removal(request, candidate: Candidate):
    if request.method == "POST":
        try:
            services.accept_removal(candidate, request.user)
        except services.AlreadyDecided:
            return _already_decided(request)
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
        try:
            services.dismiss_candidate(candidate, request.user, form.cleaned_data["reason"])
        except services.AlreadyDecided:
            return _already_decided(request)
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
        try:
            services.snooze_candidate(candidate, request.user, until=form.moment())
        except services.AlreadyDecided:
            return _already_decided(request)
        back = date_format(form.cleaned_data["until"], "j F Y")
        messages.success(request, f"« {candidate.title} » revient dans la file le {back}.")
        return redirect("workspace:candidates")
    return _decision_page(request, candidate, form, "snooze")


def _decision_page(request, candidate, form, decision: str):
    context = {"candidate": candidate, "form": form, "decision": decision}
    return render(request, "workspace/candidates/decide.html", context)
