from django.contrib import admin

from sommaire.alerts.models import Subscription
from sommaire.editors import permissions


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Readers' subscriptions, for administrators (personal data: addresses)."""

    list_display = ("email", "section", "region", "query", "frequency", "confirmed_at")
    list_filter = ("frequency", "section", "region")
    search_fields = ("email",)
    readonly_fields = ("created_at", "confirmed_at", "last_sent_at")

    def has_module_permission(self, request):
        return permissions.can_manage_accounts(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.can_manage_accounts(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_manage_accounts(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_manage_accounts(request.user)

    def has_add_permission(self, request):
        return False
