"""The editors' dashboard and review queue at 100,000 resources and 10,000 open candidates.

Usage: .venv/bin/python bench/bench_workspace.py [--count 100000] [--candidates 10000]
       [--repeat 30] [--backends sqlite postgresql] [--scratch DIR] [--no-record]

Steps:
1. For each backend, the scratch catalog of bench_search_page.py (SQLite in a
   temporary directory or --scratch DIR; PostgreSQL in --postgres-db): `migrate`,
   `load-pack content/segur`, `bench/gen_catalog.py --count N`.
2. In a child process on that database ("worker"), once per database: the
   workspace's own data, written in bulk: --candidates open candidates (new
   documents, new versions of a synthetic resource, removals; one in six of a
   region), a link state for every synthetic address (checked today; one in
   500 confirmed broken, one in 1,000 moved for good, one in 100 not reached
   for three weeks), a finished check of every link, and the four scheduled
   jobs; then three editors
   (administrator, national, regional of Occitanie).
3. For each editor and each page (/gestion/, /gestion/candidats/,
   /gestion/candidats/?change=version), through Django's test client (the
   whole stack but the socket, templates rendered): one warm-up request, its
   SQL statements counted, then --repeat timed requests.
4. A table on the terminal; unless --no-record, bench/results/workspace-<date>.json
   and lines in the table of bench/README.md.

Target: p95 under 150 ms on SQLite and on PostgreSQL, for every page and editor.
"""

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import provenance
from bench_search_page import prepare, summary

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
README = BENCH_DIR / "README.md"
TABLE_END = "<!-- end of workspace results -->"
TARGET_P95_MS = 150.0
POSTGRES_URL = "postgres://sommaire:sommaire@127.0.0.1:5432/postgres"
POSTGRES_DB = "sommaire_bench_workspace"
PAGES = ["/gestion/", "/gestion/candidats/", "/gestion/candidats/?change=version"]
EDITORS = ["admin", "national", "regional"]


# --- worker: runs inside a process configured for one database -----------------


def seed(candidates: int) -> None:
    """The workspace's data, in bulk, unless an earlier run wrote it."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from sommaire.catalog.models import Region, Resource, Section
    from sommaire.jobs.models import Job
    from sommaire.linkcheck.models import Link, Run
    from sommaire.watch.models import Candidate

    now = timezone.now()
    if not Run.objects.filter(scope="").exists():  # the nightly check of every link
        Run.objects.create(started_at=now, finished_at=now, outcome=Run.Outcome.DONE)
    if Candidate.objects.filter(url__startswith="https://example.org/propose/").exists():
        return
    rng = random.Random(2)
    sections = list(Section.objects.values_list("pk", flat=True))
    regions = list(Region.objects.values_list("pk", flat=True))
    synthetic = list(
        Resource.objects.filter(key__startswith="synth-").values_list("pk", "url").order_by("pk")
    )
    with transaction.atomic():
        rows = []
        for n in range(candidates):
            change = rng.choice(["new", "new", "version", "removed"])
            pk, url = rng.choice(synthetic)
            rows.append(
                Candidate(
                    url=url if change == "removed" else f"https://example.org/propose/{n}.pdf",
                    change=change,
                    title=f"Document proposé {n}",
                    section_id=rng.choice(sections),
                    region_id=rng.choice(regions) if rng.random() < 1 / 6 else None,
                    predecessor_id=pk if change == "version" else None,
                    resource_id=pk if change == "removed" else None,
                    version="Va2" if change == "version" else "",
                )
            )
        # A removal is proposed once per address: keep the first of each.
        seen, unique = set(), []
        for row in rows:
            key = (row.url, row.change == "removed")
            if key not in seen:
                seen.add(key)
                unique.append(row)
        Candidate.objects.bulk_create(unique, batch_size=2000)
        links = []
        for n, (_, url) in enumerate(synthetic):
            link = Link(url=url, status="ok", http_status=200, last_checked_at=now, last_ok_at=now)
            if n % 500 == 0:
                link.status, link.http_status, link.last_ok_at = "broken", 404, None
                link.consecutive_failures, link.first_failure_at = 3, now - timedelta(days=3)
            elif n % 1000 == 1:
                link.status, link.permanent, link.final_url = "redirected", True, url + "-moved"
            elif n % 100 == 2:
                link.last_ok_at = now - timedelta(days=21)
            links.append(link)
        Link.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
        for name in ("watch", "check-links", "extract-documents", "send-digests"):
            Job.objects.get_or_create(
                name=name,
                defaults={"last_finished_at": now, "last_outcome": "ok", "due_at": now},
            )


def editors() -> dict:
    from django.contrib.auth import get_user_model

    from sommaire.catalog.models import Region
    from sommaire.editors.models import Editor

    users = {}
    for name, role, regions in (
        ("admin", "admin", []),
        ("national", "national", []),
        ("regional", "regional", [Region.objects.get(code="OCC")]),
    ):
        user, _ = get_user_model().objects.get_or_create(username=f"bench-{name}")
        Editor.appoint(user, role, regions)
        users[name] = get_user_model().objects.get(pk=user.pk)
    return users


def worker(repeat: int, candidates: int) -> dict:
    sys.path.insert(0, str(PROJECT_DIR / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sommaire.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    # Pages link their static files by name: no collectstatic manifest needed here.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    from sommaire.catalog.models import Resource
    from sommaire.watch.models import Candidate

    def counted(execute, sql, params, many, context, ran):
        ran.append(sql)
        return execute(sql, params, many, context)

    seed(candidates)
    results = []
    for name, user in editors().items():
        client = Client()
        client.force_login(user)
        for page in PAGES:
            ran: list[str] = []
            with connection.execute_wrapper(partial(counted, ran=ran)):
                response = client.get(page)
            if response.status_code != 200:
                raise SystemExit(f"{page} as {name}: HTTP {response.status_code}")
            samples = []
            for _ in range(repeat):
                started = time.perf_counter()
                client.get(page)
                samples.append(round(time.perf_counter() - started, 5))
            results.append(
                {"editor": name, "page": page, "statements": len(ran), **summary(samples)}
            )
    return {
        "resources": Resource.objects.count(),
        "open_candidates": Candidate.objects.open().count(),
        "rows": results,
        "load_average": os.getloadavg(),
    }


# --- orchestration ----------------------------------------------------------------


def measure(name: str, args, scratch: Path) -> list[dict]:
    import subprocess

    env = prepare(name, args, scratch)
    env["SOMMAIRE_ALLOWED_HOSTS"] = "testserver"  # the test client's host
    command = [sys.executable, __file__, "--worker", "--repeat", str(args.repeat)]
    command += ["--candidates", str(args.candidates)]
    print(f"  {name}: measuring ...", flush=True)
    done = subprocess.run(
        command, env=env, cwd=PROJECT_DIR, check=True, text=True, capture_output=True
    )
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        {
            "backend": name,
            "resources": measured["resources"],
            "open_candidates": measured["open_candidates"],
            "load_average": measured["load_average"],
            **row,
        }
        for row in measured["rows"]
    ]


def table(rows: list[dict]) -> str:
    lines = ["backend     editor    page                                  p50/p95/p99 ms      SQL"]
    for r in rows:
        lines.append(
            f"{r['backend']:<11} {r['editor']:<9} {r['page']:<37} "
            f"{r['p50_ms']:>6.1f} {r['p95_ms']:>6.1f} {r['p99_ms']:>6.1f} {r['statements']:>5}"
        )
    return "\n".join(lines)


def record(rows: list[dict], args) -> Path:
    today = datetime.date.today().isoformat()
    commit = provenance.commit()
    results = {
        "date": today,
        "commit": commit,
        "machine": provenance.machine(),
        "parameters": {k: v for k, v in vars(args).items() if k != "worker"},
        "target_p95_ms": TARGET_P95_MS,
        "rows": rows,
    }
    path = provenance.new_result_path("workspace", today)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = README.read_text(encoding="utf-8")
    lines = [
        f"| {today} | {commit} | {r['backend']} | {r['resources']} | {r['open_candidates']} | "
        f"{r['editor']} | `{r['page']}` | {r['p50_ms']} / {r['p95_ms']} / {r['p99_ms']} | "
        f"{r['statements']} | {'yes' if r['p95_ms'] < TARGET_P95_MS else 'no'} | "
        f"`results/{path.name}` |"
        for r in rows
    ]
    README.write_text(text.replace(TABLE_END, "\n".join(lines) + "\n" + TABLE_END), "utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--scratch", help="keep the scratch databases here and reuse them")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--postgres-db", default=POSTGRES_DB)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.repeat, args.candidates)))
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="sommaire-bench-workspace-") as temporary:
        scratch = Path(args.scratch or temporary)
        for name in args.backends:
            print(f"{name}: preparing ...", flush=True)
            rows.extend(measure(name, args, scratch))
    print(table(rows))
    missed = [r for r in rows if r["p95_ms"] >= TARGET_P95_MS]
    print("ok   every p95 under 150 ms" if not missed else f"MISS {len(missed)} p95 over 150 ms")
    if not args.no_record:
        print(f"recorded in {record(rows, args)}")


if __name__ == "__main__":
    main()
