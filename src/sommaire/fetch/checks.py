"""System checks for the fetch settings: a bad network list stops `sommaire check`."""

from django.conf import settings
from django.core import checks

from sommaire.fetch.guard import parse_networks


@checks.register()
def allowed_networks_are_cidr(app_configs=None, **kwargs):
    try:
        parse_networks(settings.FETCH_ALLOWED_NETWORKS)
    except ValueError as error:
        return [
            checks.Error(
                f"SOMMAIRE_FETCH_ALLOWED_NETWORKS: {error}.",
                hint="Give a comma-separated list such as 127.0.0.0/8,::1/128.",
                id="sommaire.E101",
            )
        ]
    return []
