"""The history of a dossier, in the back-office (read only).

Dossiers are written through /gestion/dossiers/ (one validation of their
items, `dossiers.services`); this screen shows who changed what, for the
editors of the dossier's scope, and lets them delete one. It stays out of the
back-office's index: /gestion/dossiers/ is the dossiers' screen.
"""

from django.contrib import admin

from sommaire.dossiers.models import Dossier
from sommaire.editors import permissions
from sommaire.editors.backoffice import RegionalAdmin


@admin.register(Dossier)
class DossierAdmin(RegionalAdmin):
    list_display = ("title", "region", "status", "visibility", "updated_at")
    history_list_display = ["status", "visibility"]

    def editable(self, request):
        return permissions.in_scope(request.user, Dossier.objects.all())

    def has_module_permission(self, request):
        return False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
