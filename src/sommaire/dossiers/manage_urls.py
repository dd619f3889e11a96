"""/gestion/dossiers/: included before the admin, which takes every other path under /gestion/."""

from django.urls import path

from sommaire.dossiers import manage

app_name = "dossiers-manage"
urlpatterns = [
    path("", manage.dossier_list, name="list"),
    path("nouveau/", manage.create, name="create"),
    path("<slug:slug>/", manage.edit, name="edit"),
    path("<slug:slug>/historique/", manage.history, name="history"),
]
