"""Grow the catalog with synthetic resources written in the real catalog's words.

Usage: .venv/bin/python bench/gen_catalog.py [--count 100000] [--seed 1]

It writes into the database of the environment (DATABASE_URL or
SOMMAIRE_VAR_DIR), which must already hold a loaded pack (its vocabularies,
sections and words are the material): run it on a scratch database, as
bench_search.py does.

Steps:
1. read the loaded catalog: kinds, formats, profiles, waves, publishers,
   regions, sections with their groups, and the words of every title and
   description with their frequencies;
2. make `count` resources, seeded and so reproducible: titles shaped like the
   real ones ("DSR — LGO, vague 3", "Guide d’aide à la commande de
   certificats — Officine", a real title reworded), descriptions drawn from
   the real words by frequency, one address in five named by a document code
   (DSR-OFF-LGO-Va3.pdf), one resource in ten archived, one in six regional;
3. write them and their placements with bulk inserts (no signals), in
   batches, then rebuild the search index once (`sommaire reindex`).
"""

import argparse
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

BATCH = 2000
WORD = re.compile(r"[^\W\d_]{3,}")


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sommaire.settings")
    import django

    django.setup()


class Material:
    """What the real catalog offers to write with."""

    def __init__(self):
        from sommaire.catalog import models

        self.kinds = list(models.Kind.objects.all())
        self.formats = list(models.Format.objects.all())
        self.profiles = list(models.SoftwareProfile.objects.all())
        self.waves = list(models.Wave.objects.all())
        self.publishers = list(models.Publisher.objects.all())
        self.regions = list(models.Region.objects.all())
        placements = models.Placement.objects.select_related("section", "resource")
        self.places = sorted({(p.section_id, p.group) for p in placements}, key=str)
        self.sections = {s.pk: s for s in models.Section.objects.all()}
        resources = list(models.Resource.objects.all())
        if not resources:
            raise SystemExit("The catalog is empty: load a pack first (sommaire load-pack).")
        self.titles = [r.title for r in resources]
        self.descriptions = [r.description for r in resources if r.description]
        counts = Counter(w for r in resources for w in WORD.findall(f"{r.title} {r.description}"))
        self.words = list(counts)
        self.weights = list(counts.values())


def title(rng: random.Random, m: Material, section_title: str, profile, wave) -> str:
    shape = rng.random()
    if shape < 0.35 and profile is not None:
        kind = rng.choice(m.kinds).label
        return f"{kind} — {profile.label}, {wave.label.lower() if wave else 'vague 1'}"
    if shape < 0.6:
        return f"{rng.choice(m.kinds).label} — {section_title}"
    if shape < 0.85:
        words = rng.choice(m.titles).split()
        rng.shuffle(words)
        return " ".join(words[: rng.randint(3, 9)]).capitalize()
    words = rng.choices(m.words, weights=m.weights, k=rng.randint(4, 9))
    return " ".join(words).capitalize()


def description(rng: random.Random, m: Material) -> str:
    if rng.random() < 0.5 and m.descriptions:
        base = rng.choice(m.descriptions).rstrip(".")
        extra = rng.choices(m.words, weights=m.weights, k=rng.randint(3, 8))
        return f"{base}, {' '.join(extra)}."
    words = rng.choices(m.words, weights=m.weights, k=rng.randint(12, 30))
    return " ".join(words).capitalize() + "."


def generate(count: int, seed: int = 1, progress=None) -> int:
    """Add `count` synthetic resources and rebuild the index; return how many were written."""
    from django.db import transaction

    from sommaire.catalog.models import Placement, Resource
    from sommaire.search import services

    rng = random.Random(seed)
    m = Material()
    start = Resource.objects.filter(key__startswith="synth-").count()
    written = 0
    with transaction.atomic():
        while written < count:
            size = min(BATCH, count - written)
            resources, places = [], []
            for n in range(start + written, start + written + size):
                section_id, group = rng.choice(m.places)
                section = m.sections[section_id]
                profile = rng.choice(m.profiles) if m.profiles and rng.random() < 0.5 else None
                wave = rng.choice(m.waves) if m.waves and profile else None
                kind = rng.choice(m.kinds)
                version = rng.randint(1, 3)
                code = f"{kind.slug[:3].upper()}-{section.slug[:3].upper()}-{n:06d}-Va{version}"
                path = f"{code}.pdf" if rng.random() < 0.2 else f"document-{n}"
                resources.append(
                    Resource(
                        key=f"synth-{n:06d}",
                        title=title(rng, m, section.title, profile, wave)[:300],
                        url=f"https://example.org/synthetique/{path}",
                        kind=kind,
                        format=rng.choice(m.formats),
                        publisher=rng.choice(m.publishers),
                        profile=profile,
                        wave=wave,
                        region=rng.choice(m.regions) if m.regions and rng.random() < 0.16 else None,
                        description=description(rng, m),
                        status=Resource.Status.ARCHIVED
                        if rng.random() < 0.1
                        else Resource.Status.ACTIVE,
                    )
                )
                places.append((section_id, group, n))
            created = Resource.objects.bulk_create(resources)
            Placement.objects.bulk_create(
                Placement(resource=r, section_id=s, group=g, order=1000 + n)
                for r, (s, g, n) in zip(created, places, strict=True)
            )
            written += size
            if progress:
                progress(size)
    services.reindex()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    setup_django()
    started = time.perf_counter()
    written = generate(args.count, args.seed)
    seconds = time.perf_counter() - started
    print(f"{written} synthetic resources written and indexed in {seconds:.1f} s")


if __name__ == "__main__":
    main()
