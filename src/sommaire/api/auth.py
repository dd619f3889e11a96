"""Who is writing: an editor's API token, or the back-office session with its CSRF token.

Two doors, and never both for one request:

- `Authorization: Bearer som_...` (a token from `sommaire create-token`).
  Read from that header only, never from a cookie: a browser sends cookies
  by itself to any site that asks, a header only when a script chose to. A
  request that presents a token is judged on it alone: a bad token is a 401
  even when a session cookie comes along.
- the session of an editor signed in to the back-office, for scripts of the
  site's own pages: then Django's CSRF check applies (`X-CSRFToken` header
  and the `csrftoken` cookie, same origin), so another site cannot make a
  signed-in editor's browser write.

Either way `request.user` is the editor afterwards, so the permission
helpers and the history see the same person.
"""

from django.utils.cache import patch_vary_headers
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from sommaire.editors.models import ApiToken


class EditorToken(HttpBearer):
    openapi_description = (
        "Jeton d’API d’un éditeur (`sommaire create-token IDENTIFIANT`), "
        "dans l’en-tête `Authorization: Bearer som_…`."
    )

    def __call__(self, request):
        if "Authorization" not in request.headers:
            return None  # no token presented: the session may answer
        user = super().__call__(request)
        if user is None:
            raise AuthenticationError()
        return user

    def authenticate(self, request, token: str):
        user = ApiToken.holder(token.strip())
        if user is not None:
            request.user = user
        return user


class EditorSession(APIKeyCookie):
    """The back-office session, with Django's CSRF check on every write."""

    openapi_description = (
        "Session du site de gestion (cookie `sessionid`), avec le jeton CSRF "
        "dans l’en-tête `X-CSRFToken`."
    )

    def __init__(self):
        from django.conf import settings

        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def __call__(self, request):
        # Nobody signed in: a 401 that says so, rather than a CSRF failure.
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(
                403,
                "Vérification CSRF refusée : envoyez le jeton CSRF dans l’en-tête "
                "X-CSRFToken, ou utilisez un jeton d’API.",
            )
        return request.user

    def authenticate(self, request, key):  # pragma: no cover - __call__ decides
        return None


EDITORS = [EditorToken(), EditorSession()]


def not_authenticated(request, exc):
    """The 401 of a write without a valid token or session."""
    from sommaire.api.v1 import api

    response = api.create_response(
        request,
        {
            "detail": "Authentification requise : un jeton d’API (Authorization: Bearer …) "
            "ou une session du site de gestion."
        },
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="sommaire"'
    patch_vary_headers(response, ("Authorization", "Cookie"))
    return response
