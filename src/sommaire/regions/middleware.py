"""Sets `request.reader_region` (a Region, or None for the national view) on every request."""

from django.utils.cache import patch_cache_control

from sommaire.regions import reader


class ReaderRegionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        asked, region = reader.asked_region(request)
        if not asked:
            region = reader.find(request.COOKIES.get(reader.COOKIE))
        request.reader_region = region
        response = self.get_response(request)
        if asked and request.COOKIES.get(reader.COOKIE) != getattr(region, "code", None):
            reader.remember(response, region)
            # A response that sets a cookie is this reader's alone: no shared cache
            # may keep it (and hand the cookie to the next reader).
            patch_cache_control(response, private=True)
        return response
