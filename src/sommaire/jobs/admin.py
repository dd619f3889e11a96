from django.contrib import admin

from sommaire.editors.backoffice import AdministratorsOnly
from sommaire.jobs.models import Job


@admin.register(Job)
class JobAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["name", "last_outcome", "last_finished_at", "due_at"]
    readonly_fields = [
        "name",
        "due_at",
        "lease_until",
        "last_started_at",
        "last_finished_at",
        "last_outcome",
        "last_output",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
