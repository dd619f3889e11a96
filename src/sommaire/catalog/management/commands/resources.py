"""Add a resource from the command line: what scripts use.

`sommaire resources add URL --section SLUG --title TITLE [--kind KIND]
[--publisher SLUG] [--region CODE] [--group GROUP]` places the address at
the end of the section, with its kind, format, profile, wave and version
guessed from the address as the watcher does (`--kind` and `--publisher`
say them when the address does not), and records it as added in "Quoi de
neuf". It acts as the system, not as an editor. An address already in the
catalog is left as it is: running it twice adds once. Then `sommaire
extract-documents --url URL` makes a document's text searchable.
"""

from django.core.management.base import BaseCommand, CommandError

from sommaire.catalog import services
from sommaire.catalog.models import Kind, Publisher, Region, Section


class Command(BaseCommand):
    help = "Ajoute une ressource au catalogue (pour les scripts)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="ajouter une ressource")
        add.add_argument("url")
        add.add_argument("--section", required=True, help="identifiant de la section")
        add.add_argument("--title", required=True, help="titre de la ressource")
        add.add_argument("--kind", help="type de document (deviné de l’adresse sinon)")
        add.add_argument("--publisher", help="éditeur (deviné du site sinon)")
        add.add_argument("--region", help="région (OCC, 76, FR-OCC) ; nationale sinon")
        add.add_argument("--group", default="", help="groupe dans la section")

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _add(self, url, section, title, kind, publisher, region, group, **options):
        target = Section.objects.filter(slug=section).first()
        if target is None:
            raise CommandError(f"unknown section {section!r}: see the slugs in sections.yaml")
        title = " ".join(title.split())
        if not title:
            raise CommandError("--title must not be empty")
        try:
            resource, created = services.add_resource(
                url.strip(),
                target,
                title,
                kind=_term(Kind, kind, "kind"),
                publisher=_term(Publisher, publisher, "publisher"),
                region=_region(region),
                group=group.strip(),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if not created:
            self.stdout.write(f"Already in the catalog: {resource.key} ({resource.url})")
            return
        self.stdout.write(
            f"Added: {resource.key} → {section} ({resource.kind.slug}, {resource.format.slug})"
        )


def _term(model, slug: str | None, what: str):
    if not slug:
        return None
    found = model.objects.filter(slug=slug).first()
    if found is None:
        known = ", ".join(model.objects.values_list("slug", flat=True))
        raise CommandError(f"unknown {what} {slug!r}: use one of {known}")
    return found


def _region(code: str | None):
    if not code:
        return None
    found = Region.lookup(code)
    if found is None:
        raise CommandError(f"unknown region {code!r}: use its code (OCC), INSEE (76) or ISO code")
    return found
