"""The watcher's public functions, for the catalog's pack loader and dumper.

The pack declares the pages to watch (`sources.yaml`); loading writes the
editors' columns of each Source (section, selector, interval, region) and
never the watcher's state, so reloading a pack keeps the ETags and the last
good parse.
"""

from django.conf import settings

from sommaire.catalog.models import Region, Section
from sommaire.catalog.pack import PackSource, format_interval, parse_interval
from sommaire.watch.models import Source, default_interval


def load_sources(items: list[PackSource]) -> list[str]:
    """Create or update the pack's sources; return an outcome per source."""
    sections = {s.slug: s for s in Section.objects.all()}
    regions = {r.code: r for r in Region.objects.all()}
    outcomes = []
    for item in items:
        values = {
            "section": sections[item.section],
            "selector": item.selector,
            "interval": parse_interval(item.interval) if item.interval else default_interval(),
            "region": regions.get(item.region),
        }
        source = Source.objects.filter(url=item.url).first()
        if source is None:
            Source.objects.create(url=item.url, **values)
            outcomes.append("created")
            continue
        changed = [name for name, value in values.items() if getattr(source, name) != value]
        if changed:
            Source.objects.filter(pk=source.pk).update(**{n: values[n] for n in changed})
        outcomes.append("updated" if changed else "unchanged")
    return outcomes


def dump_sources() -> list[dict]:
    default = settings.WATCH_INTERVAL_MINUTES * 60
    rows = []
    for source in Source.objects.select_related("section", "region").order_by("pk"):
        row = {"url": source.url, "section": source.section.slug}
        if source.selector:
            row["selector"] = source.selector
        if source.interval.total_seconds() != default:
            row["interval"] = format_interval(source.interval)
        if source.region:
            row["region"] = source.region.code
        rows.append(row)
    return rows
