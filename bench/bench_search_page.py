"""The /recherche/ page's data: counts, facets and a page of hits, at 100,000 resources.

Usage: .venv/bin/python bench/bench_search_page.py [--count 100000] [--repeat 5]
       [--backends sqlite postgresql] [--filters "" kind=guide ...]
       [--baseline DIR] [--rounds 2] [--scratch DIR] [--no-record]

Steps:
1. For each backend, a scratch database: SQLite in a temporary directory
   (SOMMAIRE_VAR_DIR), or in --scratch DIR, kept and reused by the next run
   with the same --count; PostgreSQL in the database --postgres-db on the
   local server (--postgres-url), dropped and created unless --scratch is
   given and it already holds the catalog. Then `sommaire migrate`,
   `sommaire load-pack content/segur` and `bench/gen_catalog.py --count N`.
2. In a child process on that database ("worker"): for each query of the
   relevance suite (tests/search/test_relevance.py) and each --filters
   variant (none, one filter, two filters by default), once to warm up (its
   SQL statements counted), then --repeat times: time
   `search.page.build(QueryDict("q=...&kind=..."))`, what the view hands to
   its template (analysis, total, the seven facets with their counts, a page
   of hits with their resources, snippets and passages). A fingerprint of
   each page built (total, relaxed, every facet's values and counts, the
   hits' keys) goes with the figures.
3. With --baseline DIR (the `src` folder of a copy of the tree before a
   change): the worker runs from that code and from this tree in turn,
   --rounds times, alternating which goes first, on the same database; the
   bench checks that both built the very same pages.
4. A table on the terminal; unless --no-record,
   bench/results/search-page-<date>.json and lines in the table of
   bench/README.md.

Target: p95 of the page's data under 100 ms at 100,000 resources on SQLite.
"""

import argparse
import datetime
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import provenance

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
README = BENCH_DIR / "README.md"
TABLE_END = "<!-- end of search page results -->"
SOMMAIRE = [sys.executable, "-m", "sommaire"]
TARGET_P95_MS = 100.0
POSTGRES_URL = "postgres://sommaire:sommaire@127.0.0.1:5432/sommaire"
POSTGRES_DB = "sommaire_bench_page"
FILTERS = ["", "kind=guide", "section=hopital&region=OCC"]


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(samples: list[float]) -> dict:
    return {
        "p50_ms": round(percentile(samples, 50) * 1000, 2),
        "p95_ms": round(percentile(samples, 95) * 1000, 2),
        "p99_ms": round(percentile(samples, 99) * 1000, 2),
        "mean_ms": round(statistics.fmean(samples) * 1000, 2),
        "samples": len(samples),
    }


# --- worker: runs inside a process configured for one database -----------------


def fingerprint(found) -> str:
    """What a reader sees of a page, hashed: two codes agree when their hashes do."""
    seen = {
        "total": found.total,
        "relaxed": found.relaxed,
        "facets": [
            [counts.facet.name, [[c.value, c.label, c.count, c.selected] for c in counts.choices]]
            for counts in found.facets
        ],
        "hits": [result.resource.key for result in found.results],
    }
    return hashlib.sha256(json.dumps(seen, ensure_ascii=False).encode()).hexdigest()[:16]


def worker(src: str, repeat: int, filters: list[str]) -> dict:
    sys.path.insert(0, str(PROJECT_DIR))
    sys.path.insert(0, src)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sommaire.settings")
    from urllib.parse import urlencode

    import django

    django.setup()
    from django.db import connection
    from django.http import QueryDict

    import sommaire
    from sommaire.catalog.models import Resource
    from sommaire.search import backends, page
    from tests.search.test_relevance import QUERIES

    def counted(execute, sql, params, many, context, ran):
        ran.append(sql)
        return execute(sql, params, many, context)

    variants = {}
    for extra in filters:
        samples, statements, prints, by_query = [], [], {}, {}
        for text, _ in QUERIES:
            params = QueryDict(urlencode({"q": text}) + (f"&{extra}" if extra else ""))
            ran: list[str] = []
            with connection.execute_wrapper(partial(counted, ran=ran)):
                found = page.build(params)  # the warm-up, its statements counted
            statements.append(len(ran))
            prints[text] = [found.total, fingerprint(found)]
            timed = by_query[text] = []
            for _ in range(repeat):
                started = time.perf_counter()
                page.build(params)
                timed.append(round(time.perf_counter() - started, 5))
            samples += timed
        variants[extra or "none"] = {
            "page": summary(samples),
            "statements_median": statistics.median(statements),
            "raw_s": samples,
            "by_query_s": by_query,
            "pages": prints,
        }
    return {
        "engine": backends.current().NAME,
        "code": str(Path(sommaire.__file__).resolve().parents[1]),
        "resources": Resource.objects.count(),
        "queries": len(QUERIES),
        "variants": variants,
        "load_average": os.getloadavg(),
    }


# --- orchestration ----------------------------------------------------------------


def run(command: list[str], env: dict, capture: bool = False) -> str:
    done = subprocess.run(
        command, env=env, cwd=PROJECT_DIR, check=True, text=True, capture_output=capture
    )
    return done.stdout if capture else ""


def synthetic_count(env: dict) -> int:
    """How many synthetic resources the database holds (0 when it has no tables yet)."""
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "from sommaire.catalog.models import Resource;"
        "tables = connection.introspection.table_names();"
        "print(Resource.objects.filter(key__startswith='synth-').count()"
        " if 'catalog_resource' in tables else 0)"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "sommaire.settings"}
    return int(run([sys.executable, "-c", code], env, True).strip().splitlines()[-1])


def postgres_env(base: dict, args) -> dict:
    import psycopg

    env = {**base, "DATABASE_URL": args.postgres_url.rsplit("/", 1)[0] + "/" + args.postgres_db}
    admin = psycopg.connect(args.postgres_url, autocommit=True)
    exists = admin.execute(
        "SELECT 1 FROM pg_database WHERE datname = %s", [args.postgres_db]
    ).fetchone()
    if not (exists and args.scratch and synthetic_count(env) == args.count):
        admin.execute(f'DROP DATABASE IF EXISTS "{args.postgres_db}"')
        admin.execute(f'CREATE DATABASE "{args.postgres_db}"')
    admin.close()
    return env


def prepare(name: str, args, scratch: Path) -> dict:
    env = {**os.environ, "SOMMAIRE_VAR_DIR": str(scratch / name), "SOMMAIRE_LOG_LEVEL": "ERROR"}
    env.pop("DATABASE_URL", None)
    if name == "postgresql":
        env = postgres_env(env, args)
    run([*SOMMAIRE, "migrate", "-v0"], env)
    found = synthetic_count(env)
    if found == args.count:
        print(f"  {name}: reusing the catalog of {found} synthetic resources", flush=True)
        return env
    if found:
        raise SystemExit(
            f"{name}: the scratch database holds {found} synthetic resources, not {args.count}"
        )
    run([*SOMMAIRE, "load-pack", str(PROJECT_DIR / "content" / "segur")], env, True)
    print(f"  {name}: generating {args.count} resources ...", flush=True)
    run([sys.executable, str(BENCH_DIR / "gen_catalog.py"), "--count", str(args.count)], env, True)
    return env


def measure(env: dict, src: Path, args) -> dict:
    command = [
        sys.executable,
        __file__,
        "--worker",
        "--src",
        str(src),
        "--repeat",
        str(args.repeat),
    ]
    out = run([*command, "--filters", *args.filters], env, True)
    return json.loads(out.strip().splitlines()[-1])


def bench_backend(name: str, args, scratch: Path) -> list[dict]:
    """One row per (code, filter variant): samples of every round pooled."""
    env = prepare(name, args, scratch)
    codes = {"work tree": PROJECT_DIR / "src"}
    if args.baseline:
        codes = {"baseline": Path(args.baseline).resolve(), **codes}
    runs = {code: [] for code in codes}
    order = list(codes)
    for round_number in range(args.rounds if args.baseline else 1):
        for code in order if round_number % 2 == 0 else reversed(order):
            print(f"  {name}: round {round_number + 1}, {code} ...", flush=True)
            runs[code].append(measure(env, codes[code], args))
    rows = []
    for code, measured_runs in runs.items():
        first = measured_runs[0]
        for variant in first["variants"]:
            pages = [m["variants"][variant]["pages"] for ms in runs.values() for m in ms]
            samples = [s for m in measured_runs for s in m["variants"][variant]["raw_s"]]
            rows.append(
                {
                    "backend": name,
                    "engine": first["engine"],
                    "resources": first["resources"],
                    "code": code,
                    "code_path": first["code"],
                    "filter": variant,
                    "page": summary(samples),
                    "statements_median": first["variants"][variant]["statements_median"],
                    "by_round": [m["variants"][variant]["page"] for m in measured_runs],
                    "by_query_p50_ms": {
                        text: round(
                            statistics.median(
                                s
                                for m in measured_runs
                                for s in m["variants"][variant]["by_query_s"][text]
                            )
                            * 1000,
                            1,
                        )
                        for text in first["variants"][variant]["by_query_s"]
                    },
                    "load_average_by_round": [m["load_average"] for m in measured_runs],
                    "same_pages_as_baseline": all(p == pages[0] for p in pages)
                    if args.baseline
                    else None,
                    "pages": first["variants"][variant]["pages"],
                }
            )
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "backend     resources  code        filter                      "
        "p50/p95/p99 ms          statements"
    ]
    for r in rows:
        p = r["page"]
        lines.append(
            f"{r['backend']:<11} {r['resources']:>9}  {r['code']:<11} {r['filter']:<27} "
            f"{p['p50_ms']:>6.1f} {p['p95_ms']:>6.1f} {p['p99_ms']:>6.1f}   "
            f"{r['statements_median']:>6}"
        )
    return "\n".join(lines)


def verdicts(rows: list[dict]) -> dict:
    found = {}
    for r in rows:
        if r["backend"] == "sqlite" and r["code"] == "work tree":
            found[f"sqlite {r['filter']} p95 < {TARGET_P95_MS:g} ms"] = (
                r["page"]["p95_ms"] < TARGET_P95_MS
            )
        if r["same_pages_as_baseline"] is not None:
            found[f"{r['backend']} {r['filter']}: same pages as the baseline"] = r[
                "same_pages_as_baseline"
            ]
    return found


def record(rows: list[dict], args) -> Path:
    today = datetime.date.today().isoformat()
    commit = provenance.commit()
    results = {
        "date": today,
        "commit": commit,
        "machine": provenance.machine(),
        "parameters": {k: v for k, v in vars(args).items() if k not in ("worker", "src")},
        "target_p95_ms": TARGET_P95_MS,
        "verdicts": verdicts(rows),
        "rows": rows,
    }
    path = provenance.new_result_path("search-page", today)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = README.read_text(encoding="utf-8")
    if TABLE_END in text:
        lines = []
        for r in rows:
            p, met = r["page"], r["page"]["p95_ms"] < TARGET_P95_MS
            code = "before (baseline)" if r["code"] == "baseline" else "after (work tree)"
            lines.append(
                f"| {today} | {commit} | {r['backend']} | {r['resources']} | {r['filter']} | "
                f"{code if args.baseline else 'work tree'} | "
                f"{p['p50_ms']} / {p['p95_ms']} / {p['p99_ms']} | {r['statements_median']} | "
                f"{'yes' if met else 'no'} | `results/{path.name}` |"
            )
        README.write_text(text.replace(TABLE_END, "\n".join(lines) + "\n" + TABLE_END), "utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--filters", nargs="+", default=FILTERS)
    parser.add_argument("--baseline", help="the src folder of the code to compare with")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--scratch", help="keep the scratch databases here and reuse them")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--postgres-db", default=POSTGRES_DB)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--src", default=str(PROJECT_DIR / "src"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.src, args.repeat, args.filters)))
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="sommaire-bench-search-page-") as temporary:
        scratch = Path(args.scratch or temporary)
        for name in args.backends:
            print(f"{name}: preparing ...", flush=True)
            rows.extend(bench_backend(name, args, scratch))
    print(table(rows))
    for what, ok in verdicts(rows).items():
        print(f"{'ok  ' if ok else 'MISS'} {what}")
    if not args.no_record:
        print(f"recorded in {record(rows, args)}")


if __name__ == "__main__":
    main()
