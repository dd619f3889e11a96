"""The sign-in and sign-out pages of the workspace (/gestion/connexion/)."""

from django.contrib.auth import views as auth_views

from sommaire.editors.forms import SignInForm
from sommaire.workspace.forms import DsfrMixin


class WorkspaceSignInForm(DsfrMixin, SignInForm):
    pass


class SignIn(auth_views.LoginView):
    form_class = WorkspaceSignInForm
    template_name = "workspace/sign_in.html"
    redirect_authenticated_user = True


class SignOut(auth_views.LogoutView):
    next_page = "workspace:sign-in"
