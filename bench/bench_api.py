"""API latency, in-process: lists with link health, links, search, 304s and writes.

Usage: .venv/bin/python bench/bench_api.py [--repeat 50] [--no-record]

Steps:
1. A scratch SQLite database in a temporary directory (SOMMAIRE_VAR_DIR; the
   real var/ is never touched, DATABASE_URL is ignored), then `sommaire
   migrate` and `sommaire load-pack content/segur`.
2. In a child process on that database: a link state for every catalog URL
   (as after a check-links run), a national editor with an API token.
3. For each request below, once to warm up, then --repeat times through
   Django's test client (the whole stack but the socket: middleware, auth,
   validation, serialisation), timing each and counting its SQL queries:
   a page of 200 resources with their links, a page of 200 links, a search,
   a conditional GET answered 304, one resource, and a PUT with If-Match
   (each PUT sends the ETag the previous one returned).
4. A table on the terminal; unless --no-record, bench/results/api-<date>.json.

What matters besides time: the query count of a list must not grow with its
page size (one query for the links of a whole page).
"""

import argparse
import datetime
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


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def worker(repeat: int) -> list[dict]:
    sys.path.insert(0, str(PROJECT_DIR / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sommaire.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from sommaire.catalog.models import Resource
    from sommaire.editors.models import ApiToken, Editor
    from sommaire.linkcheck.models import Link
    from sommaire.linkcheck.services import link_url

    now = timezone.now()
    urls = {link_url(url) for url in Resource.objects.values_list("url", flat=True)}
    Link.objects.bulk_create(
        [Link(url=u, status="ok", http_status=200, last_checked_at=now) for u in urls],
        ignore_conflicts=True,
    )
    user, _ = get_user_model().objects.get_or_create(username="nadia")
    Editor.appoint(user, "national")
    token = ApiToken.issue(user)[1]
    reader = Client()
    editor = Client(headers={"Authorization": f"Bearer {token}"})
    key = "hop-fiche-pratique"
    first = reader.get(f"/api/v1/resources/{key}")
    body = {
        name: first.json()[name]
        for name in ("title", "url", "kind", "format", "publisher", "profile", "wave")
        + ("version", "region", "description", "status", "sections")
    }
    state = {"etag": first["ETag"], "n": 0}
    listing = reader.get("/api/v1/resources", {"limit": 200})

    def put():
        state["n"] += 1
        response = editor.put(
            f"/api/v1/resources/{key}",
            {**body, "description": f"Révision {state['n']}"},
            content_type="application/json",
            headers={"If-Match": state["etag"]},
        )
        state["etag"] = response["ETag"]
        return response

    cases = {
        "GET /resources?limit=200 (with links)": lambda: reader.get(
            "/api/v1/resources", {"limit": 200}
        ),
        "GET /resources?limit=10 (with links)": lambda: reader.get(
            "/api/v1/resources", {"limit": 10}
        ),
        "GET /links?limit=200": lambda: reader.get("/api/v1/links", {"limit": 200}),
        "GET /search?q=dsr pharmacie": lambda: reader.get("/api/v1/search", {"q": "dsr pharmacie"}),
        "GET /resources/{key}": lambda: reader.get(f"/api/v1/resources/{key}"),
        "GET /resources?limit=200, 304": lambda: reader.get(
            "/api/v1/resources", {"limit": 200}, headers={"If-None-Match": listing["ETag"]}
        ),
        "PUT /resources/{key} (If-Match)": put,
    }
    rows = []
    for name, call in cases.items():
        call()  # warm
        samples, queries, statuses = [], 0, set()
        for _ in range(repeat):
            if name.endswith("304"):
                listing = reader.get("/api/v1/resources", {"limit": 200})
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = call()
                samples.append(time.perf_counter() - start)
            queries = len(captured)
            statuses.add(response.status_code)
        rows.append(
            {
                "request": name,
                "status": sorted(statuses),
                "queries": queries,
                "p50_ms": round(percentile(samples, 50) * 1000, 2),
                "p95_ms": round(percentile(samples, 95) * 1000, 2),
                "mean_ms": round(statistics.fmean(samples) * 1000, 2),
            }
        )
    return rows


def run(command: list[str], env: dict, capture: bool = False) -> str:
    done = subprocess.run(
        command, env=env, cwd=PROJECT_DIR, check=True, text=True, capture_output=capture
    )
    return done.stdout if capture else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.repeat)))
        return
    with tempfile.TemporaryDirectory(prefix="sommaire-bench-api-") as scratch:
        env = {**os.environ, "SOMMAIRE_VAR_DIR": scratch, "SOMMAIRE_LOG_LEVEL": "ERROR"}
        env["SOMMAIRE_ALLOWED_HOSTS"] = "testserver"  # the test client's host
        env.pop("DATABASE_URL", None)
        sommaire = [sys.executable, "-m", "sommaire"]
        run([*sommaire, "migrate", "-v", "0"], env)
        run([*sommaire, "load-pack", "content/segur", "-v", "0"], env, capture=True)
        worker_command = [sys.executable, __file__, "--worker", "--repeat", str(args.repeat)]
        rows = json.loads(run(worker_command, env, capture=True))
    print(f"{'request':42} {'status':>10} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for row in rows:
        status = ",".join(map(str, row["status"]))
        print(
            f"{row['request']:42} {status:>10} {row['queries']:>8} "
            f"{row['p50_ms']:>8} {row['p95_ms']:>8}"
        )
    if args.no_record:
        return
    today = datetime.date.today().isoformat()
    path = BENCH_DIR / "results" / f"api-{today}.json"
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    path.write_text(
        json.dumps(
            {"date": today, "machine": machine, "repeat": args.repeat, "rows": rows}, indent=2
        )
        + "\n"
    )
    print(f"recorded in {path.relative_to(PROJECT_DIR)}")


if __name__ == "__main__":
    main()
