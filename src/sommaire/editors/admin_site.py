"""The Django admin at /gestion/admin/: a tool for administrators only.

Editors work in the workspace (/gestion/). A reader is sent to the
workspace's sign-in page (one sign-in, with its lockout); a signed-in person
who is not an administrator gets 403 rather than a sign-in form that would
send them back here.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sommaire.editors import permissions


class AdministratorsSite(admin.AdminSite):
    site_header = "Sommaire — administration"
    site_title = "Administration de Sommaire"
    index_title = "Comptes, vocabulaires et tables"
    site_url = "/gestion/"

    def has_permission(self, request):
        return permissions.may(request.user, "open-admin")

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        @wraps(view)
        def inner(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied("L’administration est réservée aux administrateurs.")
            return guarded(request, *args, **kwargs)

        return inner

    def login(self, request, extra_context=None):
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
