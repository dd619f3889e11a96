"""What every template knows about the site, without touching the database.

django-dsfr's own `site_config` processor reads a DsfrConfig row on every
request; ours is a constant.
"""

from django.conf import settings

SITE = {
    "site_title": "Sommaire Ségur numérique",
    "service_title": "Sommaire du Ségur numérique",
    "site_tagline": "La documentation du Ségur du numérique en santé, rassemblée et tenue à jour",
    "header_brand_html": "République<br>Française",
    "footer_brand_html": "République<br>Française",
    "accessibility_status": "non conforme",
}


def site(request) -> dict:
    # SITE_CONFIG under django-dsfr's name, for any of its templates we include.
    return {"site": SITE, "SITE_CONFIG": SITE, "operator": operator()}


def operator() -> dict:
    """Who runs this instance (settings SOMMAIRE_PUBLISHER, _HOST, _CONTACT_EMAIL,
    _ACCESSIBILITY_DATE), for the legal notice, the accessibility statement, the footer."""
    return {
        "publisher": settings.SITE_PUBLISHER,
        "host": settings.SITE_HOST,
        "email": settings.SITE_CONTACT_EMAIL,
        "accessibility_date": settings.ACCESSIBILITY_STATEMENT_DATE,
    }
