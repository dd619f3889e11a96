"""The editors' workspace under /gestion/ (the Django admin is at /gestion/admin/).

One line per page; every view is guarded by `workspace.access.requires`.
"""

from django.urls import path

from sommaire.workspace import dashboard, signin

app_name = "workspace"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("connexion/", signin.SignIn.as_view(), name="sign-in"),
    path("deconnexion/", signin.SignOut.as_view(), name="sign-out"),
]
