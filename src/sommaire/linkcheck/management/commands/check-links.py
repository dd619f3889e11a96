"""Check the links of the catalog (or some URLs) and record their health.

Steps:
1. list the URLs: every URL of the catalog, or of one section (`--section`),
   each fetched once however many resources use it; or just `--url` ones;
2. claim the run lock (a compare-and-set on one row): a second run started
   meanwhile stops at once with an error, so cron on two machines is safe;
3. fetch them all through `sommaire.fetch` (address guard, limits, per-host
   politeness, conditional requests from the stored ETag/Last-Modified) and
   classify each answer; show a progress bar on a terminal, one JSON line per
   URL otherwise (or with `--format json`);
4. write the new states and the history in one transaction, unless every
   host failed at the DNS or connection level: then the run is recorded as
   "réseau indisponible" and no link changes state;
5. exit with an error if a URL ended in a `--fail-on` status.

`--url` checks only the URLs given, prints the result and writes nothing: an
editor checks an address before adding it, without waiting for a run lock.
Running it twice changes nothing but the dates and the history.
"""

import argparse
import asyncio
import json

from django.core.management.base import BaseCommand, CommandError

from sommaire.catalog.models import Section
from sommaire.fetch.client import FetchConfig
from sommaire.linkcheck.models import Run, Status
from sommaire.linkcheck.services import (
    RunInProgress,
    Target,
    abandon_run,
    catalog_targets,
    check_targets,
    holding_lock,
    link_url,
    record_run,
    start_run,
    stored_validators,
)


def statuses(value: str) -> list[str]:
    words = [w.strip() for w in value.split(",") if w.strip()]
    unknown = [w for w in words if w not in Status.values]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown status {', '.join(unknown)} (use {', '.join(Status.values)})"
        )
    return words


class Command(BaseCommand):
    help = "Vérifie les liens du catalogue (ou les adresses données) et enregistre leur état."
    # The system checks import every URL conf and view (the API's schemas among
    # them) only to check them: about a quarter of this job's start-up.
    # `sommaire check --deploy` runs them in CI and at deployment; the settings
    # this job reads are parsed strictly when it reads them (FetchConfig).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--url", action="append", default=[], help="vérifier cette adresse seulement"
        )
        parser.add_argument("--section", help="seulement les ressources de cette rubrique")
        parser.add_argument("--timeout", type=float, help="délai total par adresse, en secondes")
        parser.add_argument("--format", choices=["auto", "text", "json"], default="auto")
        parser.add_argument(
            "--fail-on",
            type=statuses,
            action="append",
            default=[],
            metavar="STATUS",
            help=f"sortir en erreur si une adresse finit dans cet état ({', '.join(Status)})",
        )

    def handle(self, *args, url, section, timeout, format, fail_on, **options):
        try:
            config = FetchConfig.from_settings(**({"total_timeout": timeout} if timeout else {}))
        except ValueError as error:
            raise CommandError(f"SOMMAIRE_FETCH_ALLOWED_NETWORKS : {error}.") from None
        targets = self.targets(url, section)
        if format == "auto":
            format = "progress" if self.stdout.isatty() else "json"
        run = None
        if not url:
            try:
                run = start_run(scope=section or "")
            except RunInProgress as error:
                raise CommandError(f"{error}: rien n’a été fait.") from None
        try:
            outcomes = self.fetch_all(targets, config, format, run)
        except BaseException:
            if run is not None:  # interrupted: release the lock now, not when it lapses
                abandon_run(run)
            raise
        if run is not None:
            result = record_run(run, outcomes)
            if result == Run.Outcome.NETWORK_DOWN:
                self.stderr.write("Réseau indisponible : aucun lien n’a changé d’état.")
        self.summarise(outcomes, format)
        failing = {word for words in fail_on for word in words}
        hits = [o for o in outcomes if o.status in failing]
        if hits:
            raise CommandError(f"{len(hits)} adresse(s) dans l’état {', '.join(sorted(failing))}.")

    def targets(self, urls: list[str], section: str | None) -> list[Target]:
        if urls:
            # An editor checks an address before adding it: a document unless it says otherwise.
            return [Target(link_url(u), expects_document=False) for u in dict.fromkeys(urls)]
        if section and not Section.objects.filter(slug=section).exists():
            raise CommandError(f"La rubrique {section!r} n’existe pas.")
        return catalog_targets(section)

    def fetch_all(self, targets: list[Target], config: FetchConfig, format: str, run):
        validators = stored_validators(t.url for t in targets)
        if format == "progress":
            return self.check_with_progress(targets, config, validators, run)

        def line(outcome):
            if format == "json":
                self.stdout.write(json.dumps(outcome.as_json(), ensure_ascii=False))
            else:
                detail = f" {outcome.error}" if outcome.error else ""
                self.stdout.write(f"{outcome.status} {outcome.url}{detail}")

        return asyncio.run(
            holding_lock(
                run, check_targets(targets, config=config, validators=validators, on_outcome=line)
            )
        )

    def check_with_progress(self, targets, config, validators, run):
        from rich.progress import Progress

        with Progress(transient=True) as progress:
            task = progress.add_task("Vérification des liens", total=len(targets))
            return asyncio.run(
                holding_lock(
                    run,
                    check_targets(
                        targets,
                        config=config,
                        validators=validators,
                        on_outcome=lambda _: progress.advance(task),
                    ),
                )
            )

    def summarise(self, outcomes, format: str) -> None:
        if format == "json":
            return
        counts = {}
        for outcome in outcomes:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        summary = ", ".join(f"{n} {Status(s).label}" for s, n in sorted(counts.items()))
        self.stdout.write(f"{len(outcomes)} adresse(s) vérifiée(s) : {summary or 'aucune'}.")
        if format == "progress":
            for outcome in outcomes:
                if outcome.status not in (Status.OK, Status.REDIRECTED):
                    self.stdout.write(f"  {outcome.status} {outcome.url} {outcome.error}")
