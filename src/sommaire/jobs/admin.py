from django.contrib import admin

from sommaire.editors.backoffice import AdministratorsOnly
from sommaire.jobs.models import Job, JobRun


class ReadOnly(AdministratorsOnly, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(ReadOnly):
    list_display = ["name", "last_outcome", "last_finished_at", "due_at", "lease_owner"]
    readonly_fields = [
        "name",
        "due_at",
        "lease_until",
        "lease_owner",
        "last_started_at",
        "last_finished_at",
        "last_outcome",
        "last_output",
    ]


@admin.register(JobRun)
class JobRunAdmin(ReadOnly):
    list_display = ["job", "runner", "started_at", "finished_at", "outcome"]
    list_filter = ["job", "outcome"]
    readonly_fields = [
        "job",
        "runner",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "outcome",
        "output",
    ]
