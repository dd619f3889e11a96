"""Manage the official pages the watcher reads.

`sommaire sources add URL --section SLUG [--selector CSS] [--interval 6h]`
declares a page (or updates it: running it twice changes nothing),
`sommaire sources list [--format json]` shows them with the state of their
last fetch, `sommaire sources remove URL` stops watching one (its candidates
stay).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from sommaire.catalog.models import Section
from sommaire.catalog.pack import interval_problem, parse_interval
from sommaire.catalog.validation import url_problem
from sommaire.watch.links import normalise_url
from sommaire.watch.models import Source


class Command(BaseCommand):
    help = "Ajoute, liste ou retire les pages officielles surveillées."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="surveiller une page")
        add.add_argument("url")
        add.add_argument("--section", required=True, help="identifiant de la section")
        add.add_argument("--selector", default="", help="sélecteur CSS de la partie utile")
        add.add_argument("--interval", default="", help="intervalle : 30min, 6h, 1j")
        listing = actions.add_parser("list", help="les pages surveillées")
        listing.add_argument("--format", choices=["text", "json"], default="text")
        remove = actions.add_parser("remove", help="ne plus surveiller une page")
        remove.add_argument("url")

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _add(self, url: str, section: str, selector: str, interval: str, **options):
        normal = normalise_url(url)
        if normal is None:
            raise CommandError(f"{url}: not an http(s) address")
        if url_problem(normal):
            raise CommandError(f"{url} : {url_problem(normal)}")
        target = Section.objects.filter(slug=section).first()
        if target is None:
            raise CommandError(f"unknown section {section!r}: see the slugs in sections.yaml")
        values = {"section": target, "selector": selector.strip()}
        if interval:
            if interval_problem(interval):
                raise CommandError(f"--interval: {interval_problem(interval)}")
            values["interval"] = parse_interval(interval)
        source, created = Source.objects.update_or_create(url=normal, defaults=values)
        self.stdout.write(f"{'Added' if created else 'Updated'}: {source.url} → {section}")

    def _list(self, format: str, **options):
        sources = Source.objects.select_related("section").order_by("section__order", "url")
        rows = [
            {
                "url": s.url,
                "section": s.section.slug,
                "selector": s.selector,
                "interval_minutes": int(s.interval.total_seconds() // 60),
                "status": s.status,
                "checked_at": s.checked_at.isoformat() if s.checked_at else None,
                "error": s.error,
            }
            for s in sources
        ]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            state = row["status"] or "never fetched"
            self.stdout.write(f"{row['url']}  [{row['section']}]  {state}  {row['error']}".rstrip())
        self.stdout.write(f"{len(rows)} source(s).")

    def _remove(self, url: str, **options):
        deleted, _ = Source.objects.filter(url__in={url, normalise_url(url) or url}).delete()
        if not deleted:
            raise CommandError(f"{url} is not watched: see `sommaire sources list`")
        self.stdout.write(f"Removed: {url}")
