"""The back-office machinery shared by every catalog screen under /gestion/.

`RevisionForm` carries the revision the editor opened and, when someone else
saved in between, merges: fields only the other person changed take their
new value, fields both changed are flagged with the current value, and
nothing is saved until the editor has looked. `EditorAdmin` asks
`sommaire.editors.permissions` for every read and write and saves with the
compare-and-set of `catalog.models.Revisioned`.
"""

from datetime import datetime

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject, to_historic
from simple_history.template_utils import HistoricalRecordContextHelper

from sommaire.catalog.models import EditConflict
from sommaire.editors import history, permissions


def _as_data(field: forms.Field, value) -> str | None:
    """A stored value as a browser would post it (None: leave the key out)."""
    if isinstance(field, forms.BooleanField):
        return "on" if value else None
    return "" if value is None else str(value)


def _shown(model_field: models.Field, value) -> str:
    """A stored value as an editor reads it."""
    if value in (None, ""):
        return "(vide)"
    if model_field.is_relation:
        related = model_field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related else str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "oui" if value else "non"
    return Truncator(str(value)).chars(160)


class ReadableChanges(HistoricalRecordContextHelper):
    """The history's diff as an editor reads it: French dates, labels of choices, "(vide)"."""

    def prepare_delta_change_value(self, change, value):
        if isinstance(value, datetime):
            return date_format(timezone.localtime(value), "j F Y à H:i:s")
        model_field = self.model._meta.get_field(change.field)
        if isinstance(value, DeletedObject):  # an empty relation, or a row deleted since
            return "(vide)" if value.pk is None else f"(supprimé, n° {value.pk})"
        if value is None or not model_field.is_relation:
            return _shown(model_field, value)
        return super().prepare_delta_change_value(change, value)


def _posted(model_field: models.Field, value):
    """A cleaned form value in the shape the history stores (ids for relations)."""
    if model_field.is_relation:
        return getattr(value, "pk", value)
    return value


class RevisionForm(forms.ModelForm):
    expected_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            # From the database, not the instance: reverting to an old version
            # shows that version's values but must be checked against today's.
            self.initial["expected_revision"] = self.instance.current_revision()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        expected = cleaned.get("expected_revision")
        current = self.instance.current_revision()
        if current is None:
            raise ValidationError(
                "Cette fiche a été supprimée entre-temps : rien n’a été enregistré."
            )
        if expected is None:
            raise ValidationError("Formulaire incomplet : rechargez la page avant d’enregistrer.")
        if expected != current:
            self._merge(expected, current)
        return cleaned

    def save_as(self, saved, user) -> bool:
        """Write `saved` (this form's object, from `save(commit=False)`) in `user`'s
        name: a new row, or an edit at the revision the form was read at. False
        when someone saved in between: the caller shows the form again, merged."""
        saved._history_user = user
        try:
            if saved._state.adding:
                saved.save()
            else:
                saved.save_edit(self.cleaned_data["expected_revision"])
        except EditConflict:
            return False
        return True

    def _merge(self, expected: int, current: int) -> None:
        """Three-way merge of what the editor saw, what they posted and what is stored now."""
        changes = self.instance.changes_since(expected)
        data = self.data.copy()
        data[self.add_prefix("expected_revision")] = str(current)
        taken, flagged = [], []
        for attname, (seen, now) in changes.fields.items():
            model_field = self.instance._meta.get_field(attname.removesuffix("_id"))
            name = model_field.name
            if name not in self.fields or name not in self.cleaned_data:
                continue
            mine = _posted(model_field, self.cleaned_data[name])
            if mine == now:
                continue
            label = model_field.verbose_name
            if mine == seen:
                posted = _as_data(self.fields[name], now)
                if posted is None:
                    data.pop(self.add_prefix(name), None)
                else:
                    data[self.add_prefix(name)] = posted
                taken.append(str(label))
            else:
                flagged.append(str(label))
                stored = _shown(model_field, now)
                self.add_error(
                    name,
                    f"Modifié entre-temps : la valeur enregistrée est « {stored} ». "
                    "Votre saisie est conservée ci-dessous : gardez-la ou reprenez l’autre.",
                )
        self.data = data
        raise ValidationError(self._conflict_message(changes, taken, flagged))

    def _conflict_message(self, changes, taken: list[str], flagged: list[str]) -> str:
        who = ", ".join(changes.authors()) or "une autre personne"
        when = changes.last_date()
        at = f" le {date_format(timezone.localtime(when), 'j F Y à H:i')}" if when else ""
        parts = [
            f"Cette fiche a été modifiée par {who}{at} pendant que vous la modifiiez : "
            "rien n’a été enregistré."
        ]
        if taken:
            parts.append(f"Repris de la version enregistrée : {', '.join(taken)}.")
        if flagged:
            parts.append(f"À fusionner, modifiés des deux côtés : {', '.join(flagged)}.")
        parts.append("Vérifiez le formulaire, puis enregistrez à nouveau.")
        return " ".join(parts)


class EditorAdmin(SimpleHistoryAdmin):
    """A catalog screen whose rights come from `editors.permissions`, with history.

    Subclasses say who may read and write with `may_read` and `may_write`;
    Django's permission tables are not consulted.
    """

    form = RevisionForm
    object_history_form_template = "editors/history_form.html"

    def render_history_view(self, request, template, context, **kwargs):
        version = to_historic(context.get("original"))
        if version is not None:  # an old version's form: say which one
            context["historical_date"] = version.history_date
        return super().render_history_view(request, template, context, **kwargs)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChanges(self.model, historical_record)

    def may_read(self, request) -> bool:
        return permissions.can_edit_tree(request.user)

    def may_write(self, request, obj=None) -> bool:
        return permissions.can_edit_tree(request.user)

    def check_save(self, request, obj) -> None:
        """Last word before a row is written or deleted; raise PermissionDenied to refuse."""
        if not self.may_write(request, obj):
            raise PermissionDenied

    def has_module_permission(self, request):
        return self.may_read(request)

    def has_view_permission(self, request, obj=None):
        return self.may_read(request) and (obj is None or self.may_write(request, obj))

    def has_add_permission(self, request):
        return self.may_write(request)

    def has_change_permission(self, request, obj=None):
        return self.may_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.may_write(request, obj)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and from_field is None and self._exists(object_id):
            # Out of this person's reach: say so, rather than "does not exist".
            raise PermissionDenied
        return obj

    def _exists(self, object_id) -> bool:
        try:
            return self.model._base_manager.filter(pk=object_id).exists()
        except (ValueError, TypeError, ValidationError):
            return False

    def save_model(self, request, obj, form, change):
        self.check_save(request, obj)
        obj._history_user = request.user
        version = to_historic(obj)  # set when the form reverts to an old version
        if version is not None:
            obj._change_reason = history.reverted_to(version)
        expected = form.cleaned_data.get("expected_revision")
        if change and expected is not None:
            obj.save_edit(expected)
        else:
            obj.save()

    def delete_model(self, request, obj):
        self.check_save(request, obj)
        obj._history_user = request.user
        obj.delete()

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Someone saved between our check and our write; the whole request
            # was rolled back. Showing the form again runs the merge.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Rights are judged on the row as it is now, not on the old version
        # (which may have stood in a region this person holds).
        current = self.get_object(request, unquote(object_id))
        if current is None:
            raise Http404
        if request.method == "POST" and not self.has_change_permission(request, current):
            raise PermissionDenied
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except EditConflict:
            return super().history_form_view(request, object_id, version_id, extra_context)


class RegionalAdmin(EditorAdmin):
    """Rows that belong to a region (or to the nation): resources and contacts."""

    national_rows = True  # may a row of this model have no region (a national row)?

    def editable(self, request) -> models.QuerySet:
        raise NotImplementedError

    def may_read(self, request) -> bool:
        return self.may_write(request)

    def may_write(self, request, obj=None) -> bool:
        user = request.user
        if obj is None:
            national = self.national_rows and permissions.may_leave_national(user)
            return national or permissions.assignable_regions(user).exists()
        return permissions.can_edit_region(user, obj.region_id)

    def check_save(self, request, obj) -> None:
        permissions.check_write(
            request.user,
            self.model._base_manager.filter(pk=obj.pk).values_list("region_id", flat=True).first()
            if obj.pk
            else None,
            obj.region_id,
            adding=obj.pk is None,
        )

    def get_queryset(self, request):
        return self.editable(request).select_related("region")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            kwargs["queryset"] = permissions.assignable_regions(request.user)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "region" and field is not None and db_field.null:
            national = permissions.may_leave_national(request.user)
            field.required = not national
            # No empty choice for a regional editor: "national" is not theirs to pick.
            field.empty_label = "Nationale (toutes les régions)" if national else None
        return field


class AdministratorsOnly:
    """A screen for administrators alone (accounts, tokens, jobs, subscriptions).

    Asks `permissions.can_manage_accounts`, never Django's `is_superuser`
    flag: the role on `Editor` is the one truth, so removing an
    administrator's role removes these screens at once.
    """

    def _administrator(self, request, obj=None) -> bool:
        return permissions.can_manage_accounts(request.user)

    has_module_permission = has_view_permission = _administrator
    has_add_permission = has_change_permission = has_delete_permission = _administrator


class FrameAdmin(admin.ModelAdmin):
    """The national frame without history: vocabularies, publishers, regions, pack identity."""

    admins_only = False  # regions and the pack's identity: administrators alone

    def may_write(self, request) -> bool:
        if self.admins_only:
            return permissions.can_manage_accounts(request.user)
        return permissions.can_edit_tree(request.user)

    def has_module_permission(self, request):
        return permissions.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_editor(request.user)

    def has_add_permission(self, request):
        return self.may_write(request)

    def has_change_permission(self, request, obj=None):
        return self.may_write(request)

    def has_delete_permission(self, request, obj=None):
        return self.may_write(request)
