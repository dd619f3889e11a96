"""The people of the tests: Nadia (national team), Rémi (ARS Occitanie), Chloé
(GRADeS Bretagne) and Agnès (administrator). Their fixtures are in
tests/conftest.py; `make_editor` makes anyone else."""

from django.contrib.auth import get_user_model

from sommaire.catalog.models import Region
from sommaire.editors.models import Editor

PASSWORD = "Une-phrase-de-passe-solide-2026"


def make_editor(username: str, role: str, *codes: str, first_name: str = ""):
    """An account with `role` over the regions of `codes`, signing in with PASSWORD."""
    user = get_user_model().objects.create_user(
        username, f"{username}@sante.gouv.fr", PASSWORD, first_name=first_name
    )
    Editor.appoint(user, role, [Region.objects.get(code=code) for code in codes])
    return get_user_model().objects.get(pk=user.pk)
