"""Build the PDF edition of the sommaire, or publish a dated edition.

Steps:
1. resolve the scope: the sections given with --section (and all below
   them), the region given with --region (national resources and that
   region's), or the whole sommaire;
2. read the catalog in a constant number of queries and lay it out with
   Typst as a tagged PDF/UA-1 file;
3. write it to -o FILE (atomically: a reader never sees half a file);
4. with --publish, keep it as a new dated edition, unless the catalog has not
   changed since the latest edition (then nothing is published: safe to run
   from cron, and on several machines at once).
"""

import json
import os
import tempfile
from contextlib import nullcontext
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from sommaire.edition.build import EditionError, build_pdf, publish
from sommaire.edition.content import Scope, UnknownScope, french_date


class Command(BaseCommand):
    help = "Construit l’édition PDF du sommaire (entière, par section ou par région)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--section",
            action="append",
            default=[],
            metavar="SLUG",
            help="Seulement cette section et ses sous-sections (option répétable).",
        )
        parser.add_argument(
            "--region", default="", metavar="CODE", help="Documentation nationale et régionale."
        )
        parser.add_argument("-o", "--output", metavar="FILE", help="Fichier PDF à écrire.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Garde l’édition complète du jour, datée, si le catalogue a changé.",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, section, region, output, publish: bool, format: str, **options):
        scope = Scope(sections=tuple(dict.fromkeys(section)), region=region.strip().upper())
        if publish and not scope.is_full():
            raise CommandError(
                "--publish publie l’édition complète : retirez --section et --region."
            )
        if not publish and not output:
            raise CommandError("Indiquez le fichier à écrire avec -o FICHIER.")
        status = Console(stderr=True).status("Mise en page de l’édition…")
        with status if self.stderr.isatty() else nullcontext():
            try:
                if publish:
                    result = publish_edition()
                    pdf = bytes(result["edition"].pdf)
                else:
                    result, pdf = None, build_pdf(scope)
            except (UnknownScope, EditionError) as error:
                raise CommandError(str(error)) from error
        if output:
            _write_atomically(Path(output), pdf)
        self._report(scope, output, pdf, result, format)

    def _report(self, scope, output, pdf: bytes, result, format: str) -> None:
        report = {"scope": scope.key, "output": output, "bytes": len(pdf)}
        if result is not None:
            edition = result["edition"]
            report.update(
                edition=edition.number,
                published_at=edition.published_at.isoformat(),
                published=result["created"],
            )
        if format == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        if output:
            self.stdout.write(f"{output} : {len(pdf) // 1024} Kio ({scope.key})")
        if result is not None:
            edition = result["edition"]
            when = french_date(edition.published_at)
            if result["created"]:
                self.stdout.write(f"Édition n° {edition.number} du {when} publiée.")
            else:
                self.stdout.write(
                    f"Rien à publier : le catalogue n’a pas changé depuis l’édition "
                    f"n° {edition.number} du {when}."
                )


def publish_edition() -> dict:
    publication = publish()
    edition = publication.edition
    if not publication.created:
        # The latest edition was loaded without its PDF; fetch it for -o.
        edition = type(edition).objects.get(pk=edition.pk)
    return {"edition": edition, "created": publication.created}


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
