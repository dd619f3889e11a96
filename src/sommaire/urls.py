from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # Before the workspace: the admin takes every path under /gestion/admin/.
    path("gestion/admin/", admin.site.urls),
    path("gestion/", include("sommaire.workspace.urls")),
    # Before public: its last pattern, /<slug>/, takes any single word.
    path("", include("sommaire.edition.urls")),
    path("", include("sommaire.api.urls")),
    path("recherche/", include("sommaire.search.urls")),
    path("", include("sommaire.regions.urls")),
    path("", include("sommaire.public.urls")),
]
