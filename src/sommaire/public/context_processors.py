"""What every template knows about the site, without touching the database.

django-dsfr's own `site_config` processor reads a DsfrConfig row on every
request; ours is a constant.
"""

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
    return {"site": SITE, "SITE_CONFIG": SITE}
