"""The sign-in form: Django's own check, refused while the name or the address is locked."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from sommaire.editors import lockout, permissions


class SignInForm(AuthenticationForm):
    """Only editors (a role in Sommaire) sign in; repeated failures lock for a while."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Identifiant ou mot de passe incorrect. Les deux tiennent compte "
        "des majuscules. Après plusieurs échecs, la connexion est bloquée un moment.",
        "inactive": "Ce compte est désactivé : demandez à un administrateur de le rouvrir.",
        "no_role": "Ce compte n’a pas de rôle d’éditeur dans Sommaire : demandez-en un "
        "à un administrateur.",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and lockout.is_locked(self.request, username):
            raise ValidationError(lockout.locked_message(), code="locked")
        return super().clean()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not permissions.is_editor(user):
            raise ValidationError(self.error_messages["no_role"], code="no_role")
