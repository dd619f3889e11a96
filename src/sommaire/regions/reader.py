"""The region a reader picked: no account, a cookie, or `?region=OCC` in the address.

Pages then show the national content plus that region's. The choice is a
display preference the reader asked for, kept in a first-party cookie that
no script reads (HttpOnly) and that holds nothing but a region code.
"""

from django.conf import settings

from sommaire.catalog.models import Region
from sommaire.public.cache import current_generation

COOKIE = "sommaire_region"
COOKIE_AGE = 365 * 24 * 3600
PARAMETER = "region"
# `?region=` with one of these words goes back to the national view only.
NATIONAL_WORDS = {"", "national", "nationale", "france", "aucune"}

# The 18 regions change once a decade: each process keeps them until the
# catalog generation moves (a region edited, a pack reloaded) rather than
# asking the database on every page.
_regions: tuple[int, dict[str, Region]] | None = None


def regions_by_code() -> dict[str, Region]:
    """Every region under its three official codes: OCC, 76 and FR-OCC."""
    global _regions
    generation = current_generation()
    if _regions is None or _regions[0] != generation:
        table = {}
        for region in Region.objects.all():
            for code in (region.code, region.insee, region.iso):
                table[code.upper()] = region
        _regions = (generation, table)
    return _regions[1]


def forget_regions() -> None:
    global _regions
    _regions = None


def find(code: str | None) -> Region | None:
    if not code:
        return None
    return regions_by_code().get(code.strip().upper())


def asked_region(request) -> tuple[bool, Region | None]:
    """(asked, region) from the address: asked is False when the address says nothing."""
    if PARAMETER not in request.GET:
        return False, None
    word = request.GET[PARAMETER].strip()
    if word.lower() in NATIONAL_WORDS:
        return True, None
    region = find(word)
    return region is not None, region


def remember(response, region: Region | None) -> None:
    if region is None:
        response.delete_cookie(COOKIE, samesite="Lax")
        return
    response.set_cookie(
        COOKIE,
        region.code,
        max_age=COOKIE_AGE,
        samesite="Lax",
        httponly=True,
        secure=settings.HTTPS,
    )
