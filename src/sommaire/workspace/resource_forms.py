"""The resource form of the workspace and its placements, built on the catalog models.

`ResourceForm` is the back-office's `RevisionForm` (no lost update: a save
over someone else's change merges or flags it) with the regions this person
may give; `PlacementFormSet` lists where the resource stands in the sommaire.
"""

from django import forms
from django.core.exceptions import ValidationError

from sommaire.catalog.models import Placement, Resource, Section
from sommaire.catalog.services import free_key
from sommaire.editors import permissions
from sommaire.editors.backoffice import RevisionForm
from sommaire.public.tree import SectionTree
from sommaire.workspace.forms import DsfrMixin

FIELDS = [
    "title",
    "url",
    "key",
    "region",
    "kind",
    "format",
    "publisher",
    "profile",
    "wave",
    "version",
    "description",
    "status",
]


class ResourceForm(DsfrMixin, RevisionForm):
    class Meta:
        model = Resource
        fields = FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "url": "L’adresse complète du document ou de la page, commençant par https://.",
            "key": "Son adresse dans le sommaire : /ressource/<clé>/. "
            "Laissez vide pour la déduire du titre.",
            "version": "Telle que le document l’écrit, par exemple Va1 ou V2.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        region = self.fields["region"]
        region.queryset = permissions.assignable_regions(user)
        national = permissions.may_leave_national(user)
        region.required = not national
        # No empty choice for a regional editor: "national" is not theirs to pick.
        region.empty_label = "Nationale (toutes les régions)" if national else None
        if not national:
            region.help_text = "Une ressource que vous ajoutez appartient à votre région."
        self.fields["url"].widget.attrs.update(autocomplete="url", spellcheck="false")
        if self.instance.pk is None:
            self.fields["key"].required = False
        else:
            self.fields["key"].help_text = (
                "Son adresse dans le sommaire : /ressource/<clé>/. La changer change "
                "cette adresse : les liens et favoris vers l’ancienne ne mènent plus à la fiche."
            )
        for name in ("profile", "wave"):
            self.fields[name].empty_label = "(aucun)"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("key") and cleaned.get("title") and self.instance.pk is None:
            cleaned["key"] = free_key(cleaned["title"])
            self.instance.key = cleaned["key"]
        return cleaned

    def lock(self) -> None:
        """Show the values without letting them change (a resource out of reach)."""
        for field in self.fields.values():
            field.disabled = True
        self.fields["region"].help_text = ""


class SectionChoice(forms.ModelChoiceField):
    """A section named with its path, "Documentation par cible › Hôpital"."""

    tree: SectionTree | None = None  # given by the formset, loaded once for all its forms

    def label_from_instance(self, section: Section) -> str:
        known = self.tree.by_id.get(section.pk, section)
        return " › ".join(s.title for s in [*self.tree.ancestors(known), known])


class PlacementForm(DsfrMixin, forms.ModelForm):
    section = SectionChoice(
        queryset=Section.objects.filter(is_glossary=False),
        label="Section",
        empty_label="(choisissez une section)",
    )

    class Meta:
        model = Placement
        fields = ["section", "group", "order"]
        help_texts = {
            "group": "Le titre sous lequel elle est rangée dans la section ; vide sinon.",
            "order": "Vide : à la fin de la section.",
        }

    def __init__(self, *args, tree: SectionTree, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].tree = tree
        self.fields["order"].required = False
        if self.instance.pk is None:
            self.initial["order"] = None  # not the model's 0: the end of the section
        self.fields["group"].widget.attrs["list"] = "groupes-connus"

    def has_changed(self):
        # A new placement prefilled by "Ajouter ici" is wanted as it stands.
        chosen = self.data.get(self.add_prefix("section")) if self.is_bound else None
        return super().has_changed() or (self.instance.pk is None and bool(chosen))


class BasePlacementFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        kwargs["form_kwargs"] = {**kwargs.get("form_kwargs", {}), "tree": SectionTree.load()}
        super().__init__(*args, **kwargs)

    def clean(self):
        # Before Django's own check of the unique constraint, whose message
        # names a column rather than what to do.
        chosen = [
            form.cleaned_data["section"]
            for form in self.forms
            if form.cleaned_data.get("section") and not form.cleaned_data.get("DELETE")
        ]
        if len(set(chosen)) != len(chosen):
            raise ValidationError(
                "Une même section est choisie deux fois : une ressource n’y figure qu’une fois. "
                "Retirez l’un des deux emplacements."
            )
        super().clean()

    def save_for(self, user, reason: str = "") -> None:
        """Write the placements as `user`: new ones without an order go to the section's end."""
        for form in self.deleted_forms:
            if form.instance.pk is not None:
                form.instance._history_user = user
                form.instance.delete()
        for form in self.forms:
            if form in self.deleted_forms or not form.has_changed():
                continue
            if form.cleaned_data.get("section") is None:
                continue
            placement = form.save(commit=False)
            placement.resource = self.instance
            if placement.order is None:
                same = Placement.objects.filter(section=placement.section)
                last = same.order_by("-order").first()
                placement.order = (last.order if last else 0) + 1
            placement._history_user = user
            placement._change_reason = reason
            placement.save()


PlacementFormSet = forms.inlineformset_factory(
    Resource,
    Placement,
    form=PlacementForm,
    formset=BasePlacementFormSet,
    extra=1,
    can_delete=True,
)


def known_groups(formset: BasePlacementFormSet) -> list[str]:
    """The group titles of the sections the form places the resource in, as suggestions."""
    sections = {form.instance.section_id for form in formset if form.instance.pk}
    sections |= {getattr(form.initial.get("section"), "pk", None) for form in formset}
    titles = Placement.objects.filter(section__in=sections - {None}).exclude(group="")
    # order_by(): the model's ordering would make DISTINCT keep one row per placement.
    return sorted(titles.order_by().values_list("group", flat=True).distinct())
