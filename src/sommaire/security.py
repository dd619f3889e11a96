"""Content-Security-Policy on every response, with a per-request script nonce."""

import secrets

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Only our own origin may serve scripts, styles, images and fonts.

    The DSFR's script tags carry the nonce (django-dsfr reads
    `request.csp_nonce`), so no inline script runs without it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy(request.csp_nonce)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response

    @staticmethod
    def policy(nonce: str) -> str:
        directives = [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
        if settings.HTTPS:
            directives.append("upgrade-insecure-requests")
        return "; ".join(directives)
