"""Issue an API token to an editor and print it, once.

Steps: find the account (it must be active and hold an editor's role, since
a token acts with that role); create the token, of which only a digest is
kept; print the token (plain, or as JSON with `--format json`). The token
cannot be shown again: lost, it is deleted in the back-office (Comptes et
rôles › Jetons d’API) and a new one issued. Each run issues a new token;
earlier ones stay valid until deleted or expired.
"""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from sommaire.editors.models import ApiToken
from sommaire.editors.permissions import role_of


class Command(BaseCommand):
    help = "Crée un jeton d’API pour un éditeur et l’affiche une seule fois."

    def add_arguments(self, parser):
        parser.add_argument("username", help="identifiant de l’éditeur")
        parser.add_argument("--name", default="", help="à quoi sert le jeton (outil, script)")
        parser.add_argument(
            "--days", type=int, default=None, help="durée de validité en jours (sans limite sinon)"
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, username, name, days, format, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be 1 or more")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no account named {username!r}: create it with create-editor")
        role = role_of(user)
        if role is None:
            raise CommandError(
                f"{username} is not an active editor: give the account a role first "
                "(create-editor --role ...)"
            )
        token, raw = ApiToken.issue(user, name=name[:100], days=days)
        if format == "json":
            payload = {
                "username": username,
                "role": role,
                "token": raw,
                "expires_at": token.expires_at.isoformat() if token.expires_at else None,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        until = f", valid until {token.expires_at:%Y-%m-%d}" if token.expires_at else ""
        self.stderr.write(f"API token for {username} ({role}{until}); it will not be shown again:")
        self.stdout.write(raw)
