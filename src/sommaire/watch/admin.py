"""Candidates and watched pages in the Django admin (administrators' raw tables).

Editors review candidates in the workspace (/gestion/candidats/); here an
administrator reads them and declares the pages to watch.
"""

from django.contrib import admin

from sommaire.editors import permissions
from sommaire.watch.models import Candidate, Source


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("title", "change", "section", "region", "status", "first_seen")
    list_filter = ("status", "change", "section", "region")
    search_fields = ("title", "url", "link_text")
    readonly_fields = [f.name for f in Candidate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """Pages to watch: administrators declare them; the state is the watcher's."""

    list_display = ("url", "section", "region", "status", "checked_at", "error")
    list_filter = ("status", "section")
    search_fields = ("url",)
    fields = ["url", "section", "selector", "region", "interval"]
    readonly_fields = ["status", "checked_at", "changed_at", "error"]

    def get_fields(self, request, obj=None):
        return self.fields + (self.readonly_fields if obj else [])

    def has_module_permission(self, request):
        return permissions.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_editor(request.user)

    def _admin(self, request, obj=None) -> bool:
        return permissions.can_manage_accounts(request.user)

    has_add_permission = has_change_permission = has_delete_permission = _admin
