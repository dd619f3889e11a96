"""`{% load link_health %}{% link_health resource as health %}` for public templates.

`health.href` is the address to link (the new one after a permanent
redirect), `health.detail(format)`, `health.size`, `health.verified` ("vérifié
le 25 novembre 2026") and `health.broken` (the badge text, empty unless the
link is confirmed broken). The states of all links are read in one query per
request, whatever the number of resources on the page; public pages are
cached whole, and a run that changes what readers see bumps the catalog
generation.
"""

from django import template

from sommaire.linkcheck.services import LinkHealth, health_of, links_by_url

register = template.Library()


def _links(context) -> dict:
    """All link states, read once per request (or per render without a request)."""
    request = context.get("request")
    if request is not None:
        if not hasattr(request, "link_states"):
            request.link_states = links_by_url()
        return request.link_states
    if "link_states" not in context.render_context:
        context.render_context["link_states"] = links_by_url()
    return context.render_context["link_states"]


@register.simple_tag(takes_context=True)
def link_health(context, resource) -> LinkHealth:
    return health_of(resource.url, _links(context))


@register.filter
def get_count(counts, status: str) -> int:
    """counts[status] or 0, for the dashboard's tables."""
    return (counts or {}).get(status, 0)
