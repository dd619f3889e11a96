from django.contrib import admin

from sommaire.alerts.models import Subscription
from sommaire.editors.backoffice import AdministratorsOnly


@admin.register(Subscription)
class SubscriptionAdmin(AdministratorsOnly, admin.ModelAdmin):
    """Readers' subscriptions, for administrators (personal data: addresses)."""

    list_display = ("email", "section", "region", "query", "frequency", "confirmed_at")
    list_filter = ("frequency", "section", "region")
    search_fields = ("email",)
    readonly_fields = ("created_at", "confirmed_at", "last_sent_at")

    def has_add_permission(self, request):
        return False
