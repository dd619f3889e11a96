"""Create an editor account, or change the role, regions and password of an existing one.

Steps: check the role and the regions (official codes such as OCC, or the
INSEE and ISO codes: 76, FR-OCC); read the password from standard input and
check it against the password rules; create or update the account and its
role in one transaction. Running it again with the same arguments changes
nothing but the password.
"""

import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sommaire.catalog.models import Region
from sommaire.editors.models import Editor


class Command(BaseCommand):
    help = "Crée (ou met à jour) un compte d’éditeur : administrateur, national ou régional."

    def add_arguments(self, parser):
        parser.add_argument("username", help="identifiant de connexion")
        parser.add_argument("--role", required=True, choices=[r.value for r in Editor.Role])
        parser.add_argument(
            "--region",
            action="append",
            default=[],
            metavar="CODE",
            help="région d’un éditeur régional (OCC, BRE, ARA, IDF…), répétable",
        )
        parser.add_argument("--email", default="", help="adresse électronique")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="lire le mot de passe sur l’entrée standard (jamais en argument)",
        )

    def handle(self, *args, username, role, region, email, password_stdin, **options):
        if not password_stdin:
            raise CommandError(
                "give the password on standard input with --password-stdin "
                "(never as an argument: it would stay in the shell history)"
            )
        regions = self.regions(region)
        password = self.read_password()
        User = get_user_model()
        with transaction.atomic():
            user = User.objects.filter(username=username).first()
            created = user is None
            if created:
                user = User(username=username)
            if email:
                user.email = email
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError("password refused: " + " ".join(error.messages)) from None
            user.set_password(password)
            user.save()
            try:
                editor = Editor.appoint(user, role, regions)
            except ValueError as error:
                raise CommandError(str(error)) from None
        codes = ", ".join(editor.region_codes())
        what = "created" if created else "updated"
        self.stdout.write(
            f"{username}: {what}, {editor.get_role_display()}" + (f" ({codes})" if codes else "")
        )

    def regions(self, codes: list[str]) -> list[Region]:
        found, unknown = [], []
        for code in codes:
            region = Region.lookup(code)
            (found.append(region) if region else unknown.append(code))
        if unknown:
            known = ", ".join(Region.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(
                f"unknown region {', '.join(unknown)}: use an official code"
                + (f" ({known}) or its INSEE or ISO code" if known else "; load the pack first")
            )
        return found

    def read_password(self) -> str:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("no password on standard input")
        return password
