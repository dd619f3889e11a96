"""Benchmark: `sommaire check-links` against a bare aiohttp loop and LinkChecker.

10,000 URLs over 50 local hosts (127.0.0.2 ... 127.0.0.51, one port), each
answering after 100 ms, at most 4 requests in flight per host. Timed side by
side in the same run, each tool in its own child process:

1. the hosts: one child process serving the 50 addresses (aiohttp);
2. a bare aiohttp loop: HEAD every URL, 4 per host, held either by the
   connector's `limit_per_host` or by per-host semaphores: the faster of the
   two is the practical floor;
3. the full `sommaire check-links --format json` on a fresh temporary SQLite
   database holding 10,000 resources (classification, state and history
   writes included; the real `var/` is never touched);
4. LinkChecker (PyPI `linkchecker`), installed by this script into its own
   virtualenv under /tmp (never into the project), on the same URLs with the
   same politeness (200 threads, 40 requests per second per host, which is
   what 4 in flight at 100 ms allow), robots.txt off as for the others.

Peak memory is each child's own ru_maxrss (os.wait4). Results go to
bench/results/linkcheck-<date>.json and a line in bench/README.md.

Usage: .venv/bin/python bench/bench_linkcheck.py [--urls 10000] [--hosts 50]
       [--delay-ms 100] [--per-host 4] [--no-linkchecker] [--no-record]
"""

import argparse
import asyncio
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
LINKCHECKER_VENV = Path(tempfile.gettempdir()) / "sommaire-bench-linkchecker"
LINKCHECKER_LIMIT_S = 900


# --- children ---------------------------------------------------------------------


def serve(hosts: int, port: int, delay: float) -> None:
    """Child: the local hosts, each answering any path after `delay` seconds."""
    from aiohttp import web

    body = b"%PDF-1.7\n% bench\n%%EOF\n"

    async def answer(request):
        await asyncio.sleep(delay)
        return web.Response(body=body, content_type="application/pdf")

    async def main():
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", answer)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        for n in range(hosts):
            await web.TCPSite(runner, f"127.0.0.{2 + n}", port, backlog=1024).start()
        print("ready", flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


def bare(url_file: str, per_host: int, gated: bool) -> None:
    """Child: the floor, a bare aiohttp loop doing the same HEAD requests.

    Two ways to hold 4 per host: the connector's `limit_per_host`, or one
    semaphore per host in front of an unlimited connector. The second is
    much faster here: with thousands of waiters, the connector hands freed
    slots to waiters of other hosts. The faster of the two is the floor.
    """
    import aiohttp

    urls = Path(url_file).read_text().split()

    async def main():
        connector = aiohttp.TCPConnector(limit=0, limit_per_host=0 if gated else per_host)
        gates: dict[str, asyncio.Semaphore] = {}
        async with aiohttp.ClientSession(connector=connector) as session:

            async def head(url):
                if not gated:
                    async with session.head(url) as response:
                        return response.status
                gate = gates.setdefault(url.split("/")[2], asyncio.Semaphore(per_host))
                async with gate, session.head(url) as response:
                    return response.status

            return await asyncio.gather(*(head(u) for u in urls))

    statuses = asyncio.run(main())
    print(json.dumps({"ok": sum(s == 200 for s in statuses)}))


# --- parent -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.2", 0))
        return sock.getsockname()[1]


def run_child(command, env=None, stdout_path=None, stdin_path=None, limit=None):
    """Run a child and reap it with wait4, for its own wall time and peak memory."""
    stdout = open(stdout_path, "w") if stdout_path else subprocess.PIPE  # noqa: SIM115
    stdin = open(stdin_path) if stdin_path else None  # noqa: SIM115
    started = time.monotonic()
    child = subprocess.Popen(
        command, env=env, stdout=stdout, stdin=stdin, text=True, start_new_session=True
    )
    deadline = started + (limit or 10**9)
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            os.killpg(child.pid, signal.SIGTERM)
            os.wait4(child.pid, 0)
            return {"wall_s": None, "peak_mb": None, "timed_out": True}
        time.sleep(0.02)
    wall = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    out = child.stdout.read() if stdout == subprocess.PIPE else ""
    for handle in (stdout, stdin):
        if handle not in (None, subprocess.PIPE):
            handle.close()
    if child.returncode != 0:
        raise SystemExit(f"{command[0]} failed with exit code {child.returncode}")
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "out": out,
    }


def prepare_database(env: dict, url_file: Path) -> None:
    subprocess.run([BIN / "sommaire", "migrate", "--no-input", "-v", "0"], env=env, check=True)
    script = f"""
import django
django.setup()
from sommaire.catalog.models import Format, Kind, Publisher, Resource
kind = Kind.objects.create(slug="document", label="Document")
fmt = Format.objects.create(slug="pdf", label="PDF")
publisher = Publisher.objects.create(slug="bench", name="Bench", short_name="Bench")
from pathlib import Path
urls = Path({str(url_file)!r}).read_text().split()
Resource.objects.bulk_create(
    [Resource(key=f"r{{n}}", title=f"Ressource {{n}}", url=u, kind=kind, format=fmt,
              publisher=publisher) for n, u in enumerate(urls)],
    batch_size=1000,
)
"""
    subprocess.run(
        [BIN / "python", "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "sommaire.settings"},
        check=True,
    )


def linkchecker_binary() -> Path:
    binary = LINKCHECKER_VENV / "bin" / "linkchecker"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", LINKCHECKER_VENV], check=True)
        subprocess.run(
            [LINKCHECKER_VENV / "bin" / "pip", "install", "-q", "linkchecker"], check=True
        )
    return binary


def run_linkchecker(workdir: Path, url_file: Path, per_host: int, delay: float) -> dict:
    binary = linkchecker_binary()
    config = workdir / "linkcheckerrc"
    rate = int(per_host / delay)  # what per_host in flight at `delay` each allow
    config.write_text(
        f"[checking]\nthreads={per_host * 50}\nmaxrequestspersecond={rate}\ntimeout=20\n"
        "[filtering]\ncheckextern=1\n[output]\nstatus=0\n"
    )
    # LinkChecker drops root privileges to nobody: its files must be readable, its
    # output folder writable.
    out_dir = workdir / "linkchecker-out"
    out_dir.mkdir()
    os.chmod(workdir, 0o755)
    os.chmod(out_dir, 0o777)
    for path in (config, url_file):
        os.chmod(path, 0o644)
    result = run_child(
        [
            str(binary),
            "-f",
            str(config),
            "--stdin",
            "--no-robots",
            "-r",
            "1",
            "-o",
            "none",
            "-F",
            f"csv/utf_8/{out_dir / 'out.csv'}",
        ],
        stdin_path=url_file,
        limit=LINKCHECKER_LIMIT_S,
    )
    csv_file = out_dir / "out.csv"
    if csv_file.exists():
        lines = [line for line in csv_file.read_text().splitlines() if line and line[0] != "#"]
        result["rows"] = max(len(lines) - 1, 0)
        result["valid"] = sum(";True;" in line for line in lines)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=10_000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--delay-ms", type=int, default=100)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--no-linkchecker", action="store_true")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    delay = args.delay_ms / 1000
    port = free_port()
    urls = [
        f"http://127.0.0.{2 + n % args.hosts}:{port}/documents/{n}.pdf" for n in range(args.urls)
    ]
    floor = args.urls / args.hosts * delay / args.per_host
    work = Path(tempfile.mkdtemp(prefix="sommaire-bench-linkcheck-"))
    url_file = work / "urls.txt"
    url_file.write_text("\n".join(urls) + "\n")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SOMMAIRE_")},
        "SOMMAIRE_VAR_DIR": str(work / "var"),
        "SOMMAIRE_FETCH_ALLOWED_NETWORKS": "127.0.0.0/8",
        "SOMMAIRE_FETCH_PER_HOST": str(args.per_host),
        "SOMMAIRE_FETCH_CONCURRENCY": str(args.hosts * args.per_host),
        "SOMMAIRE_FETCH_MIN_INTERVAL_MS": "0",
    }
    env.pop("DATABASE_URL", None)
    print(f"preparing a database of {args.urls} resources in {work}", flush=True)
    prepare_database(env, url_file)

    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(args.hosts), str(port), str(delay)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        if server.stdout.readline().strip() != "ready":
            raise SystemExit("the local hosts did not start")
        bare_runs = {}
        for name, gated in (("limit_per_host", "0"), ("per_host_semaphores", "1")):
            print(f"bare aiohttp loop ({name}) ...", flush=True)
            run = run_child(
                [sys.executable, __file__, "--bare", str(url_file), str(args.per_host), gated]
            )
            run["ok"] = json.loads(run.pop("out"))["ok"]
            bare_runs[name] = run
        print("sommaire check-links ...", flush=True)
        json_lines = work / "check-links.jsonl"
        sommaire_run = run_child(
            [str(BIN / "sommaire"), "check-links", "--format", "json"],
            env=env,
            stdout_path=json_lines,
        )
        sommaire_run.pop("out")
        statuses = [json.loads(line)["status"] for line in json_lines.read_text().splitlines()]
        sommaire_run["ok"] = statuses.count("ok")
        sommaire_run["lines"] = len(statuses)
        linkchecker_run = None
        if not args.no_linkchecker:
            print("LinkChecker ...", flush=True)
            linkchecker_run = run_linkchecker(work, url_file, args.per_host, delay)
            linkchecker_run.pop("out", None)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()

    shutil.rmtree(work, ignore_errors=True)
    report(args, floor, bare_runs, sommaire_run, linkchecker_run)


def report(args, floor, bare_runs, sommaire_run, linkchecker_run) -> None:
    bare_floor = min(run["wall_s"] for run in bare_runs.values())
    ratio = sommaire_run["wall_s"] / bare_floor
    result = {
        "date": datetime.date.today().isoformat(),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "cpus": os.cpu_count(),
        "urls": args.urls,
        "hosts": args.hosts,
        "delay_ms": args.delay_ms,
        "per_host": args.per_host,
        "theoretical_floor_s": round(floor, 2),
        "bare_aiohttp": bare_runs,
        "check_links": sommaire_run,
        "check_links_over_bare": round(ratio, 3),
        "target": "check_links_over_bare <= 1.25 and check_links.peak_mb < 200",
        "met": ratio <= 1.25 and sommaire_run["peak_mb"] < 200,
        "linkchecker": linkchecker_run,
    }
    if linkchecker_run and linkchecker_run.get("wall_s"):
        result["linkchecker_over_check_links"] = round(
            linkchecker_run["wall_s"] / sommaire_run["wall_s"], 2
        )
    print(json.dumps(result, indent=2))
    if args.no_record:
        return
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"linkcheck-{result['date']}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"recorded in {path.relative_to(ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    elif sys.argv[1:2] == ["--bare"]:
        bare(sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1")
    else:
        main()
