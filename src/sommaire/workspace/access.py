"""Who enters a workspace page: one decorator, fed by `editors.permissions.WORKSPACE`.

A reader is sent to the sign-in page; a signed-in person whose role may not
do the action gets 403. Each row a view then touches is checked against the
person's regions with `editors.permissions` (`get_resource_for_editor`, ...).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from sommaire.editors import permissions


def requires(action: str):
    """Let the view run only for a person whose role may do `action`."""
    permissions.WORKSPACE[action]  # a typo in an action name fails at import

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not permissions.may(request.user, action):
                raise PermissionDenied("Cette page n’est pas ouverte à votre rôle.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
