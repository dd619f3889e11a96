"""The accounts screens of the Django admin (administrators only: `admin_site`);
signing in is the workspace's page, with its lockout.

Rights come from the role on `Editor` alone: the accounts screen shows no
staff, superuser, group or permission box (those flags follow the role), and
Django's groups are not offered, so that no second table of rights exists
beside `sommaire.editors.permissions`.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from dsfr.admin import DsfrConfigAdmin
from dsfr.models import DsfrConfig

from sommaire.editors.backoffice import AdministratorsOnly
from sommaire.editors.models import ApiToken, Editor, LoginFailure


class EditorInline(admin.StackedInline):
    model = Editor
    can_delete = True
    fields = ("role", "regions")
    filter_horizontal = ("regions",)
    verbose_name = "rôle dans Sommaire"
    verbose_name_plural = "rôle dans Sommaire"


User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)
admin.site.unregister(DsfrConfig)


@admin.register(DsfrConfig)
class SiteConfigAdmin(AdministratorsOnly, DsfrConfigAdmin):
    """The DSFR's site settings (title, notice): administrators alone."""


@admin.register(User)
class EditorUserAdmin(AdministratorsOnly, UserAdmin):
    inlines = [EditorInline]
    list_display = ("username", "email", "first_name", "last_name", "role", "is_active")
    list_filter = ("editor__role", "editor__regions", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Identité", {"fields": ("first_name", "last_name", "email")}),
        ("Accès", {"fields": ("is_active",)}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )

    @admin.display(description="rôle", ordering="editor__role")
    def role(self, user) -> str:
        editor = getattr(user, "editor", None)
        if editor is None:
            return "—"
        regions = ", ".join(r.code for r in editor.regions.all())
        return f"{editor.get_role_display()} ({regions})" if regions else editor.get_role_display()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("editor")


@admin.register(LoginFailure)
class LoginFailureAdmin(AdministratorsOnly, admin.ModelAdmin):
    """Administrators unlock a name by deleting its recent failures."""

    list_display = ("username", "ip", "at")
    list_filter = ("at",)
    search_fields = ("username", "ip")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(AdministratorsOnly, admin.ModelAdmin):
    """Administrators revoke a token by deleting it; tokens are issued by `create-token`."""

    list_display = ("hint", "user", "name", "created_at", "expires_at", "last_used_at")
    list_filter = ("created_at",)
    search_fields = ("user__username", "name", "hint")
    fields = ("user", "name", "hint", "created_at", "expires_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
