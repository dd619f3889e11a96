"""Deadlines (/gestion/echeances/): the dates of the programme, kept by the national team.

A deadline is part of the national frame, like the sections it belongs to:
national editors and administrators keep them (`permissions.can_edit_tree`).
The form is a ModelForm on `catalog.Deadline` with the back-office's revision
check (no lost update); its `source`, the official page that states the
date, is required by the model.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from sommaire.catalog.models import Deadline, EditConflict, split_deadlines
from sommaire.editors.backoffice import RevisionForm
from sommaire.workspace.access import requires
from sommaire.workspace.forms import DsfrMixin


class DeadlineForm(DsfrMixin, RevisionForm):
    class Meta:
        model = Deadline
        exclude = ["changed_at"]


@requires("edit-deadlines")
def index(request):
    rows = Deadline.objects.select_related("section", "wave")
    coming, past = split_deadlines(rows)
    return render(request, "workspace/deadlines/index.html", {"coming": coming, "past": past})


@requires("edit-deadlines")
def create(request):
    return _form_page(request, Deadline())


@requires("edit-deadlines")
def edit(request, pk: int):
    return _form_page(request, get_object_or_404(Deadline, pk=pk))


def _form_page(request, deadline: Deadline):
    form = DeadlineForm(request.POST or None, instance=deadline)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved._history_user = request.user
        try:
            if saved._state.adding:
                saved.save()
            else:
                saved.save_edit(form.cleaned_data["expected_revision"])
        except EditConflict:
            # Saved by someone else between the check and the write: show the merge.
            return _form_page(request, get_object_or_404(Deadline, pk=deadline.pk))
        messages.success(request, f"L’échéance « {saved.label} » est enregistrée.")
        return redirect("workspace:deadlines")
    return render(request, "workspace/deadlines/form.html", {"form": form, "deadline": deadline})
