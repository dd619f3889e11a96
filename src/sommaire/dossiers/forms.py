"""The editor's dossier form, made to work without JavaScript.

The dossier's fields are a Django form; its items are rows posted as
`items-<n>-kind|resource|heading|note`. Every button of the page submits
the whole form with an `action` (move an item up or down, remove it, look up
a resource, add it, add a heading, swap a replaced resource for its new
version, save): the page comes back with the rows as changed, nothing is
stored until "Enregistrer", and nothing typed is lost on the way.
"""

from dataclasses import dataclass

from django import forms

from sommaire.catalog.models import Region, Resource
from sommaire.dossiers.models import Dossier, newest_successor
from sommaire.dossiers.services import DossierInput, ItemInput, find_citable
from sommaire.editors import permissions

MAX_ROWS = 200
NATIONAL = ""


class DossierForm(forms.Form):
    title = forms.CharField(
        label="Titre",
        max_length=200,
        widget=forms.TextInput(attrs={"class": "fr-input"}),
    )
    slug = forms.CharField(
        label="Identifiant dans l’adresse",
        help_text="Lettres minuscules sans accent, chiffres et tirets : /dossiers/identifiant/",
        max_length=80,
        widget=forms.TextInput(attrs={"class": "fr-input", "spellcheck": "false"}),
    )
    audience = forms.CharField(
        label="Pour qui",
        help_text="Par exemple : « Pour un EHPAD qui prépare sa demande SONS DUI ».",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "fr-input"}),
    )
    # Not required: the empty choice is "national", offered to those who may write it.
    region = forms.ChoiceField(
        label="Région", required=False, widget=forms.Select(attrs={"class": "fr-select"})
    )
    status = forms.ChoiceField(
        label="Statut",
        choices=Dossier.Status.choices,
        help_text="Un brouillon n’est visible que des éditeurs.",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    visibility = forms.ChoiceField(
        label="Visibilité",
        choices=Dossier.Visibility.choices,
        help_text="Non listé : absent de la page de la région, du plan du site, de la recherche "
        "et de l’API ; seul son lien y mène.",
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if permissions.may_leave_national(user):
            choices.append((NATIONAL, "Aucune : dossier national"))
        choices += [(r.code, r.name) for r in permissions.assignable_regions(user)]
        self.fields["region"].choices = choices

    @staticmethod
    def initial_for(dossier: Dossier) -> dict:
        return {
            "title": dossier.title,
            "slug": dossier.slug,
            "audience": dossier.audience,
            "region": dossier.region.code if dossier.region else NATIONAL,
            "status": dossier.status,
            "visibility": dossier.visibility,
            "revision": dossier.revision,
        }


@dataclass
class Row:
    """One item as the form shows it; `resource` is the resource found for `key`, if any."""

    kind: str  # "resource" or "heading"
    key: str = ""
    heading: str = ""
    note: str = ""
    resource: Resource | None = None
    successor: Resource | None = None
    errors: tuple[str, ...] = ()

    def as_input(self) -> ItemInput:
        if self.kind == "heading":
            return ItemInput(resource=None, heading=self.heading, note=self.note)
        return ItemInput(resource=self.key.strip() or None, note=self.note)


def rows_of(dossier: Dossier) -> list[Row]:
    return [
        Row("heading", heading=i.heading, note=i.note)
        if i.is_heading()
        else Row("resource", key=i.resource.key, note=i.note)
        for i in dossier.items_in_order()
    ]


def rows_from(post) -> list[Row]:
    try:
        count = min(int(post.get("items-TOTAL", 0)), MAX_ROWS)
    except ValueError:
        count = 0
    rows = []
    for n in range(count):
        kind = post.get(f"items-{n}-kind")
        if kind not in ("resource", "heading"):
            continue
        rows.append(
            Row(
                kind,
                key=post.get(f"items-{n}-resource", ""),
                heading=post.get(f"items-{n}-heading", ""),
                note=post.get(f"items-{n}-note", ""),
            )
        )
    return rows


def describe(rows: list[Row]) -> list[Row]:
    """Find each row's resource (and its new version, when replaced), in two queries."""
    keys = {r.key.strip().lower() for r in rows if r.kind == "resource" and r.key.strip()}
    found = Resource.objects.described().in_bulk(keys, field_name="key")
    for row in rows:
        row.resource = found.get(row.key.strip().lower()) if row.kind == "resource" else None
        if row.resource is not None and row.resource.is_archived():
            row.successor = newest_successor(row.resource)
    return rows


def dossier_input(form: DossierForm, rows: list[Row]) -> DossierInput:
    data = form.cleaned_data
    return DossierInput(
        slug=data["slug"].strip(),
        title=data["title"],
        audience=data["audience"],
        region=data["region"] or None,
        visibility=data["visibility"],
        status=data["status"],
        items=[row.as_input() for row in rows],
    )


def with_errors(rows: list[Row], errors: list[tuple[str, str]]) -> list[Row]:
    """Attach each `items.<n>.<field>` message of services.Invalid to its row."""
    for name, message in errors:
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "items" and parts[1].isdigit():
            number = int(parts[1])
            if number < len(rows):
                rows[number].errors += (message,)
    return rows


@dataclass
class Outcome:
    rows: list[Row]
    found: list[Resource]
    message: str = ""


def act(action: str, rows: list[Row], post) -> Outcome:
    """Apply one button of the form to the rows (nothing is stored)."""
    verb, _, argument = action.partition(":")
    position = int(argument) if argument.isdigit() and int(argument) < len(rows) else None
    if verb in ("up", "down") and position is not None:
        other = position - 1 if verb == "up" else position + 1
        if 0 <= other < len(rows):
            rows[position], rows[other] = rows[other], rows[position]
            return Outcome(rows, [], f"Élément déplacé en position {other + 1}.")
    elif verb == "remove" and position is not None:
        del rows[position]
        return Outcome(rows, [], "Élément retiré (enregistrez pour le retirer du dossier).")
    elif verb == "upgrade" and position is not None:
        describe(rows)
        successor = rows[position].successor
        if successor is not None:
            rows[position].key = successor.key
            return Outcome(rows, [], f"Remplacé par sa nouvelle version, « {successor.title} ».")
    elif verb == "add" and argument:
        rows.append(Row("resource", key=argument))
        return Outcome(rows, [], "Document ajouté à la fin du dossier.")
    elif verb == "heading":
        heading = post.get("add-heading", "").strip()
        if heading:
            rows.append(Row("heading", heading=heading))
            return Outcome(rows, [], "Intertitre ajouté à la fin du dossier.")
        return Outcome(rows, [], "Intertitre vide : écrivez-le avant de l’ajouter.")
    elif verb == "search":
        return _search(rows, post)
    return Outcome(rows, [])


def _search(rows: list[Row], post) -> Outcome:
    text = post.get("add-query", "").strip()
    if not text:
        return Outcome(rows, [], "Écrivez la clé d’une ressource ou des mots de son titre.")
    region = Region.lookup(post.get("region", "")) if post.get("region") else None
    found = find_citable(text, region.pk if region else None)
    if not found:
        return Outcome(rows, [], f"Aucune ressource à citer ne répond à « {text} ».")
    if found[0].key == text.lower():
        rows.append(Row("resource", key=found[0].key))
        return Outcome(rows, [], f"« {found[0].title} » ajouté à la fin du dossier.")
    return Outcome(rows, found, f"{len(found)} ressources répondent à « {text} » : choisissez.")
