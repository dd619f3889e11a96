"""The catalog in the back-office (/gestion/): who may do what is decided by
`sommaire.editors.permissions`, through the base classes of
`sommaire.editors.backoffice`; every change is kept in the history."""

from django.contrib import admin, messages
from django.utils import timezone
from simple_history.models import to_historic

from sommaire.catalog import models
from sommaire.editors import history, permissions
from sommaire.editors.backoffice import EditorAdmin, FrameAdmin, RegionalAdmin
from sommaire.editors.placements import PlacementFormSet


class PlacementInline(admin.TabularInline):
    """Where a resource stands: its sections. Part of the resource, with its rights."""

    model = models.Placement
    formset = PlacementFormSet
    extra = 1
    fields = ("section", "group", "order")
    verbose_name = "emplacement dans le sommaire"
    verbose_name_plural = "emplacements dans le sommaire"

    def _may(self, request, obj) -> bool:
        if obj is None:
            return permissions.is_editor(request.user)
        return permissions.can_edit_region(request.user, obj.region_id)

    def has_view_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, obj)


@admin.register(models.Resource)
class ResourceAdmin(RegionalAdmin):
    list_display = ("title", "kind", "region", "status", "changed_at")
    list_filter = ("status", "region", "kind", "format", "publisher", "profile", "wave")
    search_fields = ("title", "key", "url", "description", "version")
    prepopulated_fields = {"key": ("title",)}
    readonly_fields = ("added_at", "changed_at", "revision")
    inlines = [PlacementInline]
    # simple_history's version form has no inlines: these show the placements
    # beside the resource's own history, and saving a version restores them.
    object_history_template = "admin/catalog/resource/object_history.html"
    object_history_form_template = "admin/catalog/resource/object_history_form.html"
    fieldsets = [
        (None, {"fields": ["title", "key", "url", "region", "status"]}),
        (
            "Description",
            {
                "fields": [
                    "kind",
                    "format",
                    "publisher",
                    "profile",
                    "wave",
                    "version",
                    "description",
                ]
            },
        ),
        ("Suivi", {"fields": ["added_at", "changed_at", "revision", "expected_revision"]}),
    ]

    def editable(self, request):
        return permissions.editable_resources(request.user)

    def delete_model(self, request, obj):
        permissions.check_resource_delete(request.user, obj)
        super().delete_model(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            obj.changed_at = timezone.now()
        super().save_model(request, obj, form, change)
        version = to_historic(obj)  # set when the form reverts to an old version
        if version is not None:
            lost = history.restore_placements(obj, version, request.user)
            for standing in lost:
                self.message_user(
                    request,
                    f"Emplacement non rétabli : {standing.title}.",
                    messages.WARNING,
                )

    def render_history_view(self, request, template, context, **kwargs):
        if template == self.object_history_form_template:
            version = to_historic(context["original"])
            then = history.placements_at(version)
            context["placements_then"] = then
            context["sections_left"] = history.sections_left_since(version.id, then)
        else:
            context["placement_changes"] = history.placement_changes(context["object"].pk)
        return super().render_history_view(request, template, context, **kwargs)


@admin.register(models.Contact)
class ContactAdmin(RegionalAdmin):
    list_display = ("name", "organisation", "role", "region", "email")
    list_filter = ("region",)
    search_fields = ("name", "organisation", "role", "email", "questions")
    filter_horizontal = ("sections",)
    fields = [
        "region",
        "name",
        "organisation",
        "role",
        "questions",
        "email",
        "phone",
        "url",
        "source",
        "sections",
        "order",
        "expected_revision",
    ]

    def editable(self, request):
        return permissions.editable_contacts(request.user)


@admin.register(models.Section)
class SectionAdmin(EditorAdmin):
    list_display = ("title", "slug", "parent", "heading", "order")
    list_filter = ("heading", "is_home", "is_glossary")
    search_fields = ("title", "slug", "intro")
    fields = [
        "title",
        "slug",
        "parent",
        "heading",
        "intro",
        "is_home",
        "is_glossary",
        "order",
        "expected_revision",
    ]


@admin.register(models.Deadline)
class DeadlineAdmin(EditorAdmin):
    """Deadlines are national: the national frame's editors keep them."""

    list_display = ("label", "date", "time", "section", "wave")
    list_filter = ("section", "wave")
    search_fields = ("label", "slug", "source")
    prepopulated_fields = {"slug": ("label",)}
    readonly_fields = ("changed_at",)
    fields = [
        "label",
        "slug",
        "section",
        "wave",
        "date",
        "time",
        "source",
        "order",
        "changed_at",
        "expected_revision",
    ]

    def save_model(self, request, obj, form, change):
        obj.changed_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(models.GlossaryTerm)
class GlossaryTermAdmin(EditorAdmin):
    list_display = ("term", "expansion", "order")
    search_fields = ("term", "expansion", "definition")
    fields = ["term", "expansion", "definition", "order", "expected_revision"]


@admin.register(models.Kind, models.Format, models.SoftwareProfile, models.Wave)
class TermAdmin(FrameAdmin):
    list_display = ("label", "slug", "order")
    search_fields = ("label", "slug")


@admin.register(models.Publisher)
class PublisherAdmin(FrameAdmin):
    list_display = ("short_name", "name", "slug", "url")
    search_fields = ("name", "short_name", "slug")


@admin.register(models.Region)
class RegionAdmin(FrameAdmin):
    admins_only = True
    list_display = ("name", "code", "insee", "iso")
    search_fields = ("name", "code", "insee", "iso")


@admin.register(models.PackInfo)
class PackInfoAdmin(FrameAdmin):
    admins_only = True
