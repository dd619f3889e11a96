from django.contrib import admin

from sommaire.jobs.models import Job, JobRun


class AdministratorsOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(Job)
class JobAdmin(AdministratorsOnly):
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
class JobRunAdmin(AdministratorsOnly):
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
