"""Time the PDF edition: the full sommaire (target < 3 s) and one section (< 1 s).

Usage: .venv/bin/python bench/bench_pdf.py [--runs 7] [--section hopital]
       [--no-record] [--check]

Steps:
1. Create a fresh SQLite database in a temporary directory (SOMMAIRE_VAR_DIR,
   so the real var/ is never touched; DATABASE_URL is ignored), migrate and
   load content/segur.
2. Cold: --runs builds of each edition, each in a new Python process (no
   font or layout cache yet, as `sommaire build-pdf` from cron), timing the
   build whole: catalog queries, Typst layout and PDF/UA-1 export. The
   median of these is the figure held against the target.
3. Warm: in this process, after one warm-up build, --runs builds each
   preceded by a catalog change (Typst memoises layouts within a process, so
   an unchanged catalog would be timed too kindly): what /sommaire.pdf costs
   on a cache miss in a running server. The catalog queries alone are timed
   too, to tell the database's share from Typst's.
4. Print a table; unless --no-record, write bench/results/pdf-<date>.json and
   append one line per edition to the results table of bench/README.md.
5. --check exits 1 when a median misses its target.
"""

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
README = BENCH_DIR / "README.md"
TABLE_END = "<!-- end of pdf results -->"
TARGETS = {"full": 3.0, "section": 1.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--section", default="hopital")
    parser.add_argument("--pack", default=str(PROJECT_DIR / "content" / "segur"))
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sommaire-bench-pdf-") as var_dir:
        results = measure(args, Path(var_dir))
    print_table(results)
    if not args.no_record:
        record(results, args)
    missed = [r["edition"] for r in results if r["median_s"] >= TARGETS[r["edition"]]]
    if args.check and missed:
        print(f"missed target: {', '.join(missed)}", file=sys.stderr)
        return 1
    return 0


COLD_RUN = """
import json, sys, time
import django
django.setup()
from sommaire.edition.build import build_pdf
from sommaire.edition.content import Scope
scope = Scope(sections=tuple(sys.argv[1:]))
start = time.perf_counter()
pdf = build_pdf(scope)
print(json.dumps({"seconds": time.perf_counter() - start, "bytes": len(pdf)}))
"""


def measure(args, var_dir: Path) -> list[dict]:
    os.environ["SOMMAIRE_VAR_DIR"] = str(var_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sommaire.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from sommaire.catalog.models import Resource
    from sommaire.edition.build import build_pdf
    from sommaire.edition.content import Scope, edition_data

    call_command("migrate", verbosity=0)
    call_command("load-pack", args.pack, verbosity=0)
    results = []
    for name, scope in (("full", Scope()), ("section", Scope(sections=(args.section,)))):
        cold = [_cold_build(scope) for _ in range(args.runs)]
        pdf = build_pdf(scope)  # warm-up of this process
        warm, queries = [], []
        for run in range(args.runs):
            # Typst memoises layouts within a process: change the catalog
            # before each build, as a real rebuild follows a change.
            resource = Resource.objects.filter(placements__section__slug=args.section).first()
            resource.title = f"{resource.title.split(' #')[0]} #{run}"
            resource.save()
            start = time.perf_counter()
            build_pdf(scope)
            warm.append(time.perf_counter() - start)
            start = time.perf_counter()
            edition_data(scope)
            queries.append(time.perf_counter() - start)
        results.append(
            {
                "edition": name,
                "scope": scope.key,
                "runs": args.runs,
                "median_s": round(statistics.median(cold), 3),
                "min_s": round(min(cold), 3),
                "max_s": round(max(cold), 3),
                "warm_median_s": round(statistics.median(warm), 3),
                "catalog_data_median_s": round(statistics.median(queries), 3),
                "target_s": TARGETS[name],
                "bytes": len(pdf),
                "pages": _pages(pdf),
            }
        )
    return results


def _cold_build(scope) -> float:
    """One build in a new process: no font or layout cache, as `sommaire build-pdf` runs."""
    done = subprocess.run(
        [sys.executable, "-c", COLD_RUN, *scope.sections],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])["seconds"]


def _pages(pdf: bytes) -> int | None:
    try:
        from pypdf import PdfReader  # a test dependency: optional here
    except ImportError:
        return None
    import io

    return len(PdfReader(io.BytesIO(pdf)).pages)


def print_table(results: list[dict]) -> None:
    print(
        f"{'edition':<9} {'cold s':>7} {'min s':>7} {'max s':>7} {'warm s':>7} "
        f"{'data s':>7} {'target':>7} {'pages':>6}"
    )
    for r in results:
        verdict = "ok" if r["median_s"] < r["target_s"] else "MISSED"
        print(
            f"{r['edition']:<9} {r['median_s']:>7.3f} {r['min_s']:>7.3f} {r['max_s']:>7.3f} "
            f"{r['warm_median_s']:>7.3f} {r['catalog_data_median_s']:>7.3f} "
            f"{'< ' + str(r['target_s']):>7} {r['pages'] or '?':>6} {verdict}"
        )


def record(results: list[dict], args) -> None:
    today = datetime.date.today().isoformat()
    commit = _git("rev-parse", "--short", "HEAD")
    dirty = bool(_git("status", "--porcelain", "--untracked-files=no"))
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"pdf-{today}.json"
    payload = {
        "date": today,
        "commit": commit + ("+dirty" if dirty else ""),
        "machine": machine,
        "typst": importlib.metadata.version("typst"),
        "command": " ".join(["bench/bench_pdf.py", *sys.argv[1:]]),
        "results": results,
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    lines = [
        f"| {today} | {payload['commit']} | {r['edition']} ({r['scope']}) | {r['median_s']:.3f} "
        f"| {r['min_s']:.3f}–{r['max_s']:.3f} | {r['warm_median_s']:.3f} "
        f"| {r['catalog_data_median_s']:.3f} "
        f"| < {r['target_s']:g} | {machine} |"
        for r in results
    ]
    text = README.read_text(encoding="utf-8")
    if TABLE_END in text:
        README.write_text(text.replace(TABLE_END, "\n".join(lines) + "\n" + TABLE_END), "utf-8")
    print(f"recorded {path.relative_to(PROJECT_DIR)}")


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return done.stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
