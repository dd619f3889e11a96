"""Re-watch 500 official pages that did not change: conditional hits and time against politeness.

Usage: .venv/bin/python bench/bench_watch.py [--sources 500] [--hosts 5]
       [--interval-ms 100] [--per-host 4] [--no-record] [--check]

Steps:
1. A fresh SQLite database in a temporary directory (SOMMAIRE_VAR_DIR; the
   real var/ is never touched, DATABASE_URL is ignored), `migrate` and
   `load-pack content/segur`; the pack's real pages are removed from the
   watch list, so nothing leaves this machine.
2. One HTTP server per host on 127.0.0.1 ... 127.0.0.N (same port), each page
   an official-looking page with 20 documents and an ETag; a robots.txt.
3. `--sources` pages spread evenly over the hosts become sources; a first
   `watch` run reads them all (200, snapshots, candidates): not measured.
4. The measured run: every source again, nothing changed. Counted: the
   answers the servers gave (304 vs 200), the wall time of the whole run
   (claims, robots.txt, fetches, bookkeeping), and the floor that per-host
   politeness imposes on the n requests to the busiest host: the first
   `--per-host` start at once, then one per interval, (n - per-host) x interval.
5. A table on the terminal; unless --no-record, bench/results/watch-<date>.json
   and one line in the results table of bench/README.md.

Targets: 100 % conditional hits, time under 1.3 x the politeness floor.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
README = BENCH_DIR / "README.md"
TABLE_END = "<!-- end of watch results -->"
TARGET_HITS, TARGET_RATIO = 1.0, 1.3


def page(host: int, n: int) -> bytes:
    items = "".join(
        f'<li><a href="/documents/h{host}-p{n}-doc{d}.pdf">Document {d} de la page {n}</a></li>'
        for d in range(20)
    )
    return (
        f"<!doctype html><html lang='fr'><head><title>Page {n}</title></head><body>"
        f"<header><a href='/'>Accueil</a></header><main><h1>Page {n}</h1><ul>{items}</ul>"
        f"</main><footer><a href='/mentions'>Mentions</a></footer></body></html>"
    ).encode()


class Site:
    """One loopback host: pages with ETags; counts every answer by status."""

    def __init__(self, address: str, port: int, host_number: int):
        self.counts: dict[int, int] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                if self.path == "/robots.txt":
                    body, etag = b"User-agent: *\nDisallow: /prive/\n", None
                else:
                    body = page(host_number, int(self.path.rsplit("/", 1)[-1]))
                    etag = f'"{host_number}-{self.path.rsplit("/", 1)[-1]}-v1"'
                status = 304 if etag and self.headers.get("If-None-Match") == etag else 200
                site.counts[status] = site.counts.get(status, 0) + 1
                self.send_response(status)
                if etag:
                    self.send_header("ETag", etag)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", "0" if status == 304 else str(len(body)))
                self.end_headers()
                if status == 200:
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((address, port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def start_sites(hosts: int) -> tuple[list[Site], int]:
    first = Site("127.0.0.1", 0, 1)
    port = first.server.server_port
    return [first] + [Site(f"127.0.0.{n}", port, n) for n in range(2, hosts + 1)], port


def setup_django(var_dir: str, args) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["SOMMAIRE_VAR_DIR"] = var_dir
    os.environ["SOMMAIRE_FETCH_ALLOWED_NETWORKS"] = "127.0.0.0/8"
    os.environ["SOMMAIRE_FETCH_MIN_INTERVAL_MS"] = str(args.interval_ms)
    os.environ["SOMMAIRE_FETCH_PER_HOST"] = str(args.per_host)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sommaire.settings"
    sys.path.insert(0, str(PROJECT_DIR / "src"))
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load-pack", str(PROJECT_DIR / "content" / "segur"), stdout=StringIO())


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def measure(args) -> dict:
    from sommaire.catalog.models import Section
    from sommaire.watch import watcher
    from sommaire.watch.models import Source

    sites, port = start_sites(args.hosts)
    try:
        Source.objects.all().delete()
        section = Section.objects.get(slug="hopital")
        Source.objects.bulk_create(
            Source(url=f"http://127.0.0.{n % args.hosts + 1}:{port}/pages/{n}", section=section)
            for n in range(args.sources)
        )
        sources = list(Source.objects.order_by("pk"))
        first = watcher.run(sources)
        primed = first.summary()
        for site in sites:
            site.counts.clear()
        sources = list(Source.objects.order_by("pk"))
        started = time.perf_counter()
        second = watcher.run(sources)
        elapsed = time.perf_counter() - started
        counts = {status: sum(s.counts.get(status, 0) for s in sites) for status in (200, 304)}
        per_host = max(sum(s.counts.values()) for s in sites)
    finally:
        for site in sites:
            site.stop()
    pages = counts[304] + sum(1 for r in second.sources if r.status == "unchanged")
    hits = counts[304] / args.sources
    floor = max(per_host - args.per_host, 0) * args.interval_ms / 1000
    return {
        "sources": args.sources,
        "hosts": args.hosts,
        "interval_ms": args.interval_ms,
        "per_host": args.per_host,
        "first_run": primed,
        "second_run": second.summary(),
        "answers": {"304": counts[304], "200": counts[200]},
        "unchanged_pages": pages,
        "conditional_hits": hits,
        "requests_busiest_host": per_host,
        "elapsed_s": round(elapsed, 3),
        "floor_s": round(floor, 3),
        "ratio": round(elapsed / floor, 3) if floor else None,
    }


def record(result: dict) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    today = datetime.date.today().isoformat()
    path = RESULTS_DIR / f"watch-{today}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    machine = f"{os.cpu_count()} × {result['machine']['cpu']}"
    row = (
        f"| {today} | {result['commit']} | {machine} | {result['sources']} / {result['hosts']} "
        f"| {result['interval_ms']} | {result['conditional_hits']:.0%} | {result['elapsed_s']:.2f} "
        f"| {result['floor_s']:.2f} | {result['ratio']:.2f} | `results/{path.name}` |\n"
    )
    text = README.read_text(encoding="utf-8")
    if TABLE_END in text:
        README.write_text(text.replace(TABLE_END, row.rstrip("\n") + "\n" + TABLE_END, 1))
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--hosts", type=int, default=5)
    parser.add_argument("--interval-ms", type=int, default=100)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sommaire-bench-watch-") as var_dir:
        setup_django(var_dir, args)
        result = measure(args)
    result.update(
        commit=commit(),
        date=datetime.datetime.now().isoformat(timespec="seconds"),
        machine={"nproc": os.cpu_count(), "cpu": cpu_model(), "kernel": platform.release()},
        python=platform.python_version(),
    )
    ok = result["conditional_hits"] >= TARGET_HITS and (result["ratio"] or 0) < TARGET_RATIO
    print(f"sources            {result['sources']} on {result['hosts']} hosts")
    print(f"answers            304: {result['answers']['304']}, 200: {result['answers']['200']}")
    print(f"conditional hits   {result['conditional_hits']:.1%}   (target 100 %)")
    print(f"time               {result['elapsed_s']:.2f} s")
    print(
        f"politeness floor   {result['floor_s']:.2f} s   ({result['requests_busiest_host']} "
        f"requests to the busiest host, {args.per_host} at once then one per "
        f"{result['interval_ms']} ms)"
    )
    print(f"ratio              {result['ratio']:.2f}   (target under {TARGET_RATIO})")
    if not args.no_record:
        print(f"recorded           {record(result)}")
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
