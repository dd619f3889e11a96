"""No lost update on where a resource stands: its placements merge like its fields.

The resource form and its placements inline are posted together, with the
revision the editor opened. When someone saved in between, the resource
form refuses the save and merges its fields (`backoffice.RevisionForm`);
`PlacementFormSet` does the same for the placements, matched by section (a
resource stands once in a section), a three-way merge of what the editor
saw (the placements' history at that revision), what they posted and what
is stored now: a value only the other person changed is taken, a value
only this editor changed is kept, a value both changed is flagged with the
stored one. The rewritten rows are shown; saving them again writes them.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from sommaire.catalog.models import Section
from sommaire.editors import history

FIELDS = ("group", "order")
# What the editor saw, when no history says: equal to nothing posted or stored,
# so every difference between the two is flagged rather than decided.
UNKNOWN = {"group": None, "order": None}
LABELS = {"group": "groupe", "order": "ordre"}


@dataclass
class Row:
    """One placement as a form row, kept or deleted, with what to tell the editor."""

    section_id: int
    values: dict  # group, order
    delete: bool = False
    flag: str = ""


class PlacementFormSet(BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.taken: list[str] = []
        self.flags: dict[int, str] = {}
        if self.is_bound and self.instance.pk is not None:
            self._merge_if_stale()

    def _merge_if_stale(self) -> None:
        try:
            expected = int(self.data.get("expected_revision", ""))
        except ValueError:
            return
        current = self.instance.current_revision()
        if current is None or current == expected:
            return
        standings = history.placements_at_revision(self.instance, expected)
        seen = None if standings is None else {s.section_id: _values(s) for s in standings}
        stored = {p.section_id: p for p in self.instance.placements.all()}
        now = {section_id: _values(p) for section_id, p in stored.items()}
        rows = self._merged(seen, now, self._posted())
        self._rewrite(rows, stored)

    def _posted(self) -> dict[int, dict]:
        """The rows this editor posted, by section; deleted and empty rows left out."""
        posted = {}
        total = int(self.data.get(f"{self.prefix}-TOTAL_FORMS", 0) or 0)
        for index in range(min(total, self.absolute_max)):
            key = f"{self.prefix}-{index}-"
            if self.data.get(key + "DELETE") or not self.data.get(key + "section"):
                continue
            try:
                section_id = int(self.data[key + "section"])
                order = int(self.data.get(key + "order") or 0)
            except ValueError:
                continue
            posted[section_id] = {"group": self.data.get(key + "group", "").strip(), "order": order}
        return posted

    def _merged(self, seen: dict | None, now: dict, mine: dict) -> list[Row]:
        titles = dict(Section.objects.filter(pk__in=[*now, *mine]).values_list("pk", "title"))
        rows = []
        for section_id in sorted({*now, *mine, *(seen or {})}, key=lambda pk: titles.get(pk, "")):
            old = UNKNOWN if seen is None else seen.get(section_id)
            theirs, ours = now.get(section_id), mine.get(section_id)
            if ours == theirs or theirs == old:
                result, flag = ours, ""
            elif ours == old:
                result, flag = theirs, ""
                self.taken.append(titles.get(section_id, ""))
            elif ours is not None and theirs is not None:
                result, flag = _merge_fields(old or UNKNOWN, theirs, ours)
            else:
                result, flag = ours, _presence_conflict(theirs)
            if result is not None or theirs is not None:
                rows.append(Row(section_id, result or theirs, delete=result is None, flag=flag))
        return rows

    def _rewrite(self, rows: list[Row], stored: dict) -> None:
        """Make the posted data the merged rows: stored placements first, then new ones."""
        kept = [row for row in rows if row.section_id in stored]
        new = [row for row in rows if row.section_id not in stored and not row.delete]
        data = self.data.copy()
        for key in [k for k in data if k.startswith(f"{self.prefix}-")]:
            del data[key]
        data[f"{self.prefix}-TOTAL_FORMS"] = str(len(kept) + len(new))
        data[f"{self.prefix}-INITIAL_FORMS"] = str(len(kept))
        data[f"{self.prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{self.prefix}-MAX_NUM_FORMS"] = "1000"
        for index, row in enumerate(kept + new):
            key = f"{self.prefix}-{index}-"
            if row.section_id in stored:
                data[key + "id"] = str(stored[row.section_id].pk)
            data[key + self.fk.name] = str(self.instance.pk)
            data[key + "section"] = str(row.section_id)
            data[key + "group"] = row.values["group"]
            data[key + "order"] = str(row.values["order"])
            if row.delete:
                data[key + "DELETE"] = "on"
            if row.flag:
                self.flags[index] = row.flag
        self.data = data

    def clean(self):
        super().clean()
        for index, message in self.flags.items():
            self.forms[index].add_error(None, message)
        if self.taken or self.flags:
            parts = ["Les emplacements ont aussi changé entre-temps."]
            if self.taken:
                parts.append(f"Repris de la version enregistrée : {', '.join(self.taken)}.")
            if self.flags:
                parts.append("À fusionner, modifiés des deux côtés : voir les lignes signalées.")
            raise ValidationError(" ".join(parts))


def _values(placement) -> dict:
    return {"group": placement.group, "order": placement.order}


def _merge_fields(seen: dict, now: dict, mine: dict) -> tuple[dict, str]:
    """Field by field: one side's change is taken; both sides' changes are flagged."""
    merged, clashes = {}, []
    for name in FIELDS:
        if mine[name] == seen[name]:
            merged[name] = now[name]
        elif now[name] in (seen[name], mine[name]):
            merged[name] = mine[name]
        else:
            merged[name] = mine[name]
            clashes.append(f"{LABELS[name]} « {now[name] or '(vide)'} »")
    if not clashes:
        return merged, ""
    return merged, (
        f"Modifié entre-temps : la valeur enregistrée est {', '.join(clashes)}. Votre saisie "
        "est conservée ci-dessous : gardez-la ou reprenez l’autre."
    )


def _presence_conflict(now: dict | None) -> str:
    if now is None:
        return (
            "Retiré de cette section entre-temps, et modifié par vous : enregistrez pour le "
            "garder, ou supprimez la ligne."
        )
    return (
        f"Modifié entre-temps (groupe « {now['group'] or '(vide)'} », ordre {now['order']}), "
        "et retiré par vous : enregistrez pour le retirer, ou décochez « Supprimer »."
    )
