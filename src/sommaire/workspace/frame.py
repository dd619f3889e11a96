"""The national frame in the workspace: rubrics (/gestion/rubriques/), glossary
(/gestion/glossaire/) and deadlines (/gestion/echeances/).

National editors and administrators keep them (`permissions.can_edit_tree`,
the WORKSPACE action "edit-frame"). Each kind is a `Frame`: a ModelForm on
its catalog model with the back-office's revision check (no lost update),
a list page and a form page; the catalog's one text rule comes with the
model (`CleanText`).
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.db.models import Model
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone

from sommaire.catalog.models import Deadline, GlossaryTerm, Section, split_deadlines
from sommaire.editors.backoffice import RevisionForm
from sommaire.workspace.access import requires
from sommaire.workspace.forms import DsfrMixin


@dataclass(frozen=True)
class Frame:
    model: type[Model]
    address: str  # "echeances": /gestion/echeances/
    name: str  # URL names: "deadlines", "deadline", "deadline-new"
    title: str  # "Échéances"
    new: str  # "Ajouter une échéance"
    intro: str
    exclude: list[str] = field(default_factory=list)

    def form_class(self) -> type[RevisionForm]:
        meta = type("Meta", (), {"model": self.model, "exclude": self.exclude})
        return type(f"{self.model.__name__}Form", (DsfrMixin, RevisionForm), {"Meta": meta})

    def groups(self) -> list[tuple[str, list]]:
        """The list page: (heading, rows) pairs."""
        if self.model is Deadline:
            coming, past = split_deadlines(Deadline.objects.select_related("section", "wave"))
            return [("À venir", coming), ("Passées", past)]
        return [("", list(self.model.objects.all()))]

    def urls(self) -> list:
        index, create, edit = _views(self)
        return [
            path(f"{self.address}/", index, name=self.name + "s"),
            path(f"{self.address}/nouveau/", create, name=self.name + "-new"),
            path(f"{self.address}/<int:pk>/", edit, name=self.name),
        ]


FRAMES = [
    Frame(
        Section,
        "rubriques",
        "section",
        "Rubriques",
        "Ajouter une rubrique",
        "Les rubriques du sommaire, leur introduction et leur place dans l’arbre.",
    ),
    Frame(
        GlossaryTerm,
        "glossaire",
        "term",
        "Glossaire",
        "Ajouter un sigle",
        "Les sigles que les pages expliquent d’elles-mêmes partout où ils apparaissent.",
    ),
    Frame(
        Deadline,
        "echeances",
        "deadline",
        "Échéances",
        "Ajouter une échéance",
        "Les dates du programme que les lecteurs voient sur chaque rubrique, sur la page "
        "Échéances et dans leurs agendas ; chacune cite la page officielle qui l’annonce.",
        exclude=["changed_at"],
    ),
]


def _views(frame: Frame):
    @requires("edit-frame")
    def index(request):
        context = {"frame": frame, "groups": frame.groups()}
        return render(request, "workspace/frame/index.html", context)

    @requires("edit-frame")
    def create(request):
        return _form_page(request, frame, frame.model())

    @requires("edit-frame")
    def edit(request, pk: int):
        return _form_page(request, frame, get_object_or_404(frame.model, pk=pk))

    return index, create, edit


def _form_page(request, frame: Frame, row):
    form = frame.form_class()(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if hasattr(saved, "changed_at"):
            saved.changed_at = timezone.now()
        if not form.save_as(saved, request.user):
            # Saved by someone else between the check and the write: show the merge.
            return _form_page(request, frame, get_object_or_404(frame.model, pk=row.pk))
        messages.success(request, f"« {saved} » est enregistré.")
        return redirect(f"workspace:{frame.name}s")
    context = {"frame": frame, "form": form, "row": row}
    return render(request, "workspace/frame/form.html", context)
