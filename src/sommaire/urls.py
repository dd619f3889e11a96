from django.contrib import admin
from django.urls import include, path

from sommaire.jobs.views import healthz

# The 404 page in the site's frame, with its main navigation.
handler404 = "sommaire.public.views.page_not_found"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Before the workspace: the admin takes every path under /gestion/admin/.
    path("gestion/admin/", admin.site.urls),
    path("gestion/dossiers/", include("sommaire.dossiers.manage_urls")),
    path("gestion/", include("sommaire.workspace.urls")),
    # Before public: its last pattern, /<slug>/, takes any single word.
    path("", include("sommaire.edition.urls")),
    path("", include("sommaire.api.urls")),
    path("recherche/", include("sommaire.search.urls")),
    path("", include("sommaire.regions.urls")),
    path("", include("sommaire.dossiers.urls")),
    path("", include("sommaire.public.urls")),
]
