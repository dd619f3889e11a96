"""Search latency: ours (analysis + engine) beside the engine's raw SQL, both backends.

Usage: .venv/bin/python bench/bench_search.py [--count 100000] [--repeat 20]
       [--backends sqlite postgresql] [--baseline DIR] [--rounds 2]
       [--postgres-db sommaire_bench] [--no-record]

Steps:
1. For each backend, a scratch database: SQLite in a temporary directory
   (SOMMAIRE_VAR_DIR), PostgreSQL in the database --postgres-db created (and
   dropped first) on the local server (--postgres-url); then `sommaire
   migrate` and `sommaire load-pack content/segur`.
2. In a child process on that database ("worker"): for each query of the
   relevance suite (tests/search/test_relevance.py), once to warm up, then
   --repeat times: time `services.search(query, limit=10)` (ours: analysis,
   glossary and synonyms, typo correction, engine, hits), and the engine's
   own SQL statements that this search ran, replayed on a raw cursor (raw).
   Beside the times: the CPU time of the searches (this process, plus the
   PostgreSQL server process that answered it), per search, and the
   percentiles per kind of query (a code, a typo, equivalents from the
   glossary and synonyms, several words, one word).
3. `bench/gen_catalog.py` adds --count synthetic resources and rebuilds the
   index; step 2 again on that catalog.
4. With --baseline DIR (the `src` folder of a copy of the tree before a
   change), step 2 runs the code of that copy and of this tree in turn,
   --rounds times, alternating which goes first, on the same databases.
5. A table on the terminal; unless --no-record, bench/results/search-<date>.json
   and one line per (catalog, backend, code) in the table of bench/README.md.

Targets: p95 under 10 ms on the real catalog and under 50 ms at 100,000
resources on SQLite; ours ÷ raw (p50) under 2.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import provenance

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
README = BENCH_DIR / "README.md"
TABLE_END = "<!-- end of search results -->"
SOMMAIRE = [sys.executable, "-m", "sommaire"]
TARGETS = {"real_p95_ms": 10.0, "synthetic_p95_ms": 50.0, "overhead": 2.0}
POSTGRES_URL = "postgres://sommaire:sommaire@127.0.0.1:5432/postgres"
POSTGRES_DB = "sommaire_bench"


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(samples: list[float]) -> dict:
    return {
        "p50_ms": round(percentile(samples, 50) * 1000, 3),
        "p95_ms": round(percentile(samples, 95) * 1000, 3),
        "p99_ms": round(percentile(samples, 99) * 1000, 3),
        "mean_ms": round(statistics.fmean(samples) * 1000, 3),
    }


# --- worker: runs inside a process configured for one database -----------------


def kind_of(query) -> str:
    """The kind of a query, for percentiles per kind."""
    if query.has_code:
        return "code"
    if query.corrections:
        return "typo"
    if query.all_words() != query.literal_words():
        return "equivalents"
    return "several words" if len(query.nodes) > 1 else "one word"


def server_cpu_s(connection) -> float:
    """CPU seconds used so far by the PostgreSQL process serving this connection (0 on
    SQLite, which works in this process): the server runs on this machine."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker(src: str, repeat: int) -> dict:
    sys.path.insert(0, str(PROJECT_DIR))
    sys.path.insert(0, src)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sommaire.settings")
    import django

    django.setup()
    from django.db import connection

    import sommaire
    from sommaire.catalog.models import Resource
    from sommaire.search import backends, services
    from tests.search.test_relevance import QUERIES

    queries = [text for text, _ in QUERIES]
    ours, raw, hits, kinds, cpu_s = [], [], 0, {}, 0.0
    for text in queries:
        services.search(text, limit=10)  # warm: thesaurus, vocabulary, engine caches
        statements = []

        def capture(execute, sql, params, many, context, statements=statements):
            if "search_fts" in sql or "search_entry" in sql:
                statements.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            hits += len(services.search(text, limit=10).hits)
        timed = kinds.setdefault(kind_of(services.analyse(text)), [])
        cpu_started = time.process_time() + server_cpu_s(connection)
        for _ in range(repeat):
            started = time.perf_counter()
            services.search(text, limit=10)
            timed.append(time.perf_counter() - started)
        cpu_s += time.process_time() + server_cpu_s(connection) - cpu_started
        ours += timed[-repeat:]
        for _ in range(repeat):
            started = time.perf_counter()
            with connection.cursor() as cursor:
                for sql, params in statements:
                    cursor.execute(sql, params)
                    cursor.fetchall()
            raw.append(time.perf_counter() - started)
    return {
        "engine": backends.current().NAME,
        "code": str(Path(sommaire.__file__).resolve().parents[1]),
        "resources": Resource.objects.count(),
        "queries": len(queries),
        "hits_per_query": round(hits / len(queries), 2),
        "ours_s": ours,
        "raw_s": raw,
        "by_kind_s": kinds,
        "cpu_s": cpu_s,
        "load_average": os.getloadavg(),
    }


# --- orchestration ----------------------------------------------------------------


def run(command: list[str], env: dict, capture: bool = False) -> str:
    done = subprocess.run(
        command, env=env, cwd=PROJECT_DIR, check=True, text=True, capture_output=capture
    )
    return done.stdout if capture else ""


def measure(env: dict, src: Path, repeat: int) -> dict:
    command = [sys.executable, __file__, "--worker", "--src", str(src), "--repeat", str(repeat)]
    return json.loads(run(command, env, True).strip().splitlines()[-1])


def postgres_env(base: dict, url: str, database: str) -> dict:
    import psycopg

    admin = psycopg.connect(url, autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
    admin.execute(f'CREATE DATABASE "{database}"')
    admin.close()
    return {**base, "DATABASE_URL": url.rsplit("/", 1)[0] + "/" + database}


def measure_codes(catalog: str, name: str, env: dict, args) -> list[dict]:
    """One row per code: the work tree, and the baseline's when given, in alternating
    rounds; the samples of every round pooled."""
    codes = {"work tree": PROJECT_DIR / "src"}
    if args.baseline:
        codes = {"baseline": Path(args.baseline).resolve(), **codes}
    runs = {code: [] for code in codes}
    for round_number in range(args.rounds if args.baseline else 1):
        for code in list(codes) if round_number % 2 == 0 else list(reversed(codes)):
            print(f"  {name}, {catalog} catalog: round {round_number + 1}, {code}", flush=True)
            runs[code].append(measure(env, codes[code], args.repeat))
    return [
        {"catalog": catalog, "backend": name, "code_label": code, **pooled(measured)}
        for code, measured in runs.items()
    ]


def pooled(runs: list[dict]) -> dict:
    """The figures of one code: the samples of all its rounds taken together."""
    ours = [t for r in runs for t in r["ours_s"]]
    raw = [t for r in runs for t in r["raw_s"]]
    kinds = {}
    for r in runs:
        for kind, samples in r["by_kind_s"].items():
            kinds.setdefault(kind, []).extend(samples)
    first = runs[0]
    return {
        **{k: first[k] for k in ("engine", "code", "resources", "queries", "hits_per_query")},
        "samples": len(ours),
        "ours": summary(ours),
        "raw": summary(raw),
        "overhead_p50": round(percentile(ours, 50) / percentile(raw, 50), 2),
        "overhead_p95": round(percentile(ours, 95) / percentile(raw, 95), 2),
        "cpu_ms_per_search": round(sum(r["cpu_s"] for r in runs) / len(ours) * 1000, 3),
        "by_kind": {
            kind: {"samples": len(samples), **summary(samples)}
            for kind, samples in sorted(kinds.items())
        },
        "by_round": [summary(r["ours_s"]) for r in runs],
        "load_average_by_round": [r["load_average"] for r in runs],
    }


def bench_backend(name: str, args, scratch: Path) -> list[dict]:
    env = {**os.environ, "SOMMAIRE_VAR_DIR": str(scratch / name), "SOMMAIRE_LOG_LEVEL": "ERROR"}
    env.pop("DATABASE_URL", None)
    if name == "postgresql":
        env = postgres_env(env, args.postgres_url, args.postgres_db)
    run([*SOMMAIRE, "migrate", "-v0"], env)
    run([*SOMMAIRE, "load-pack", str(PROJECT_DIR / "content" / "segur")], env, True)
    rows = measure_codes("real", name, env, args)
    print(f"  {name}: real catalog measured; generating {args.count} resources ...", flush=True)
    started = time.perf_counter()
    run([sys.executable, str(BENCH_DIR / "gen_catalog.py"), "--count", str(args.count)], env, True)
    generated_s = round(time.perf_counter() - started, 1)
    for row in measure_codes("synthetic", name, env, args):
        rows.append({**row, "generate_and_index_s": generated_s})
    return rows


def table(rows: list[dict]) -> str:
    lines = [
        "catalog     backend     code       resources  ours p50/p95/p99 ms        "
        "raw p50/p95/p99 ms         ours÷raw p50  CPU ms/search",
    ]
    for r in rows:
        o, w = r["ours"], r["raw"]
        lines.append(
            f"{r['catalog']:<11} {r['backend']:<11} {r['code_label']:<10} {r['resources']:>9}  "
            f"{o['p50_ms']:>6.2f} {o['p95_ms']:>6.2f} {o['p99_ms']:>6.2f}       "
            f"{w['p50_ms']:>6.2f} {w['p95_ms']:>6.2f} {w['p99_ms']:>6.2f}        "
            f"{r['overhead_p50']:.2f}          {r['cpu_ms_per_search']:.2f}"
        )
        for kind, k in r["by_kind"].items():
            lines.append(f"    {kind:<14} p50 {k['p50_ms']:>7.2f}  p95 {k['p95_ms']:>7.2f}")
    return "\n".join(lines)


def verdicts(rows: list[dict]) -> dict:
    found = {}
    for r in rows:
        if r["code_label"] != "work tree":
            continue
        if r["catalog"] == "real":
            found[f"real {r['backend']} p95 < 10 ms"] = r["ours"]["p95_ms"] < 10
        else:
            found[f"synthetic {r['backend']} p95 < 50 ms"] = r["ours"]["p95_ms"] < 50
        found[f"{r['catalog']} {r['backend']} ours÷raw < 2"] = r["overhead_p50"] < 2
    return found


def load(row: dict) -> str:
    """The one-minute load averages of the machine at the end of each round."""
    return ", ".join(f"{averages[0]:.1f}" for averages in row["load_average_by_round"])


def record(rows: list[dict], args) -> Path:
    today = datetime.date.today().isoformat()
    commit = provenance.commit()
    results = {
        "date": today,
        "commit": commit,
        "machine": provenance.machine(),
        "parameters": {
            "count": args.count,
            "repeat": args.repeat,
            "limit": 10,
            "baseline": args.baseline,
            "rounds": args.rounds if args.baseline else 1,
        },
        "targets": TARGETS,
        "verdicts": verdicts(rows),
        "rows": rows,
    }
    path = provenance.new_result_path("search", today)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = README.read_text(encoding="utf-8")
    if TABLE_END in text:
        lines = [
            f"| {today} | {commit if r['code_label'] == 'work tree' else 'baseline'} | "
            f"{r['catalog']} | {r['backend']} | {r['resources']} | "
            f"{r['ours']['p50_ms']} / {r['ours']['p95_ms']} / {r['ours']['p99_ms']} | "
            f"{r['raw']['p50_ms']} / {r['raw']['p95_ms']} / {r['raw']['p99_ms']} | "
            f"{r['overhead_p50']} | {r['cpu_ms_per_search']} | {load(r)} |"
            for r in rows
        ]
        README.write_text(text.replace(TABLE_END, "\n".join(lines) + "\n" + TABLE_END), "utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--baseline", help="the src folder of the code to compare with")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--postgres-db", default=POSTGRES_DB)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--src", default=str(PROJECT_DIR / "src"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.src, args.repeat)))
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="sommaire-bench-search-") as scratch:
        for name in args.backends:
            print(f"{name}: preparing ...", flush=True)
            rows.extend(bench_backend(name, args, Path(scratch)))
    print(table(rows))
    for what, ok in verdicts(rows).items():
        print(f"{'ok  ' if ok else 'MISS'} {what}")
    if not args.no_record:
        print(f"recorded in {record(rows, args)}")


if __name__ == "__main__":
    main()
