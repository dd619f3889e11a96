"""Load the public pages with wrk, Django (gunicorn) against nginx serving the same bytes.

Usage: .venv/bin/python bench/bench_pages.py [--duration 20] [--connections 64]
       [--threads 2] [--workers 2] [--pages / /hopital/]

Steps:
1. Create a fresh SQLite database in a temporary directory (SOMMAIRE_VAR_DIR,
   so the real var/ is never touched), run `sommaire migrate` and
   `sommaire load-pack content/segur`.
2. Start `sommaire serve` (gunicorn gthread) on a free 127.0.0.1 port, wait
   until it answers, fetch each page once: it must answer 200, and its bytes
   become the static file nginx serves.
3. Start nginx in the foreground with its own minimal configuration (same
   number of worker processes, access_log off) on another loopback port.
4. For each page: warm up, then wrk for a fixed duration against Django, then
   the same against nginx (the ceiling for the same bytes on this machine).
5. Print a table with notes on what disturbed a run (other processes on the
   machine, one gunicorn worker holding all the connections); unless
   --no-record, write bench/results/pages-<date>.json and append one line
   per page to the results table of bench/README.md.
6. Stop every child process group, also on Ctrl-C, SIGTERM or error.

wrk and both servers share the machine's cores: the numbers measure the
whole loop on one box, and the nginx ratio is meaningful because both
targets are loaded the same way, side by side, in the same run.
"""

import argparse
import contextlib
import datetime
import importlib.metadata
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path.insert(0, str(PROJECT_DIR / "deploy"))

from topology import (  # noqa: E402 - deploy/ is a folder of scripts, not a package
    Stack,
    TopologyError,
    application_env,
    insecure_tls,
    start_instance,
    start_nginx,
    wait_for,
    write_nginx,
)
from topology import sommaire as deploy_sommaire  # noqa: E402

RESULTS_DIR = BENCH_DIR / "results"
README = BENCH_DIR / "README.md"
TABLE_END = "<!-- end of pages results -->"
NGINX_TABLE_END = "<!-- end of pages through nginx results -->"
HOST = "127.0.0.1"
HOME = "/"
TARGET = {"rps": 1500.0, "p99_ms": 100.0, "errors": 0}
PACKAGES = ("Django", "gunicorn", "whitenoise", "django-dsfr", "dj-database-url", "PyYAML")
WRK_TIMEOUT = "2s"
# Share of the machine's CPU used by other processes above which a run is flagged.
OTHER_LOAD_WARNING = 0.05
# Share of the server's CPU done by one of its processes above which a run is flagged.
IMBALANCE_WARNING = 0.75

# wrk counts status > 399 as errors; this script counts every non-2xx instead,
# so that a redirect (e.g. to a login page) cannot pass for a served page.
# The JSON goes to stdout on one line marked with a prefix, after wrk's own text.
WRK_SCRIPT = r"""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"duration_us":%d,"requests":%d,"bytes":%d,"non2xx":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"status_gt_399":%d,"timeout":%d,' ..
    '"lat_mean_us":%.1f,"lat_max_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d}\n',
    summary.duration, summary.requests, summary.bytes, non2xx_total,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90),
    latency:percentile(99)))
end
"""

NGINX_CONF = """\
worker_processes {workers};
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;
    types {{ }}
    default_type text/html;
    charset utf-8;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    server {{
        listen {host}:{port};
        root {root}/html;
        index index.html;
    }}
}}
"""


class BenchError(Exception):
    """A set-up step failed; the message says which and why."""


@dataclass
class Run:
    """One wrk run against one URL, as measured."""

    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    requests: int
    errors: int
    error_detail: dict
    bytes_per_response: int
    cpu_s: dict = field(default_factory=dict)

    @classmethod
    def from_wrk(cls, data: dict, cpu_s: dict) -> "Run":
        detail = {k: data[k] for k in ("non2xx", "connect", "read", "write", "timeout")}
        requests = data["requests"]
        return cls(
            rps=round(requests / (data["duration_us"] / 1e6), 1),
            p50_ms=round(data["p50_us"] / 1000, 2),
            p90_ms=round(data["p90_us"] / 1000, 2),
            p99_ms=round(data["p99_us"] / 1000, 2),
            mean_ms=round(data["lat_mean_us"] / 1000, 2),
            max_ms=round(data["lat_max_us"] / 1000, 2),
            requests=requests,
            errors=sum(detail.values()),
            error_detail=detail,
            bytes_per_response=data["bytes"] // requests if requests else 0,
            cpu_s=cpu_s,
        )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for tool in ("wrk", "nginx"):
        if not find_tool(tool):
            raise SystemExit(f"{tool} is missing: apt-get install wrk nginx-light")
    # SIGTERM and SIGINT (even when inherited as ignored) run the same clean-up.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with contextlib.ExitStack() as stack:
        if args.nice is not None:
            stack.enter_context(prioritised(args.nice))
        try:
            results = (through_nginx if args.through_nginx else run_bench)(args, stack)
        except (BenchError, TopologyError) as error:
            print(f"bench_pages: {error}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            print("bench_pages: interrupted, servers stopped", file=sys.stderr)
            return 130
    print_table(results)
    for page, row in results["pages"].items():
        for note in row["notes"]:
            print(f"Note on {page}: {note}")
    if not args.no_record:
        path = record(results)
        print(f"\nRecorded in {path.relative_to(PROJECT_DIR)} and bench/README.md")
    met = target_met(results)
    if met is not None:
        print(
            f"Home page target (>= {TARGET['rps']:.0f} req/s, p99 < {TARGET['p99_ms']:.0f} ms, "
            f"no error): {'met' if met else 'MISSED'}"
        )
    return 1 if args.check and met is False else 0


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per wrk run (20)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (64)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn and nginx workers (2)")
    parser.add_argument(
        "--server-threads", type=int, default=4, help="gunicorn threads per worker (4)"
    )
    parser.add_argument("--warmup", type=int, default=3, help="seconds of wrk before each run")
    parser.add_argument("--pages", nargs="+", default=["/", "/hopital/"])
    parser.add_argument("--pack", type=Path, default=PROJECT_DIR / "content" / "segur")
    parser.add_argument("--no-record", action="store_true", help="print only, write nothing")
    parser.add_argument(
        "--nice",
        type=int,
        help="scheduling priority of the whole bench on a shared machine, e.g. -10 (needs root)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument(
        "--rounds", type=int, default=4, help="--through-nginx: runs in turn per target (4)"
    )
    parser.add_argument(
        "--through-nginx",
        action="store_true",
        help="the pages through the shipped nginx (deploy/, HTTPS, page cache) against "
        "the same nginx serving the same bytes from files",
    )
    args = parser.parse_args(argv)
    for page in args.pages:
        if not page.startswith("/") or ".." in page or "?" in page:
            parser.error(f"--pages: {page!r} must be a plain path starting with /")
    return args


@contextlib.contextmanager
def prioritised(nice: int):
    """Give this process and every child the priority `nice` against other sessions.

    With the kernel's autogroups, the niceness of a process only counts within
    its session; between sessions (another shell running the tests) it is the
    session's autogroup niceness that shares the cores. The servers stay in
    this session (process_group=0, not a new session) so both apply to them.
    The autogroup is the caller's terminal session too: put it back after.
    """
    autogroup = Path("/proc/self/autogroup")
    before = None
    try:
        os.setpriority(os.PRIO_PROCESS, 0, nice)
        if autogroup.exists():
            before = int(autogroup.read_text().split("nice")[1])
            autogroup.write_text(str(nice))
    except (OSError, IndexError, ValueError) as error:
        raise SystemExit(f"--nice {nice}: {error} (root or CAP_SYS_NICE needed)") from None
    try:
        yield
    finally:
        if before is not None:
            with contextlib.suppress(OSError):
                autogroup.write_text(str(before))


def run_bench(args, stack: contextlib.ExitStack) -> dict:
    var_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sommaire-bench-")))
    env = server_env(var_dir)
    print(f"Fresh database in {var_dir}")
    sommaire(env, "migrate", "--no-input", "-v", "0")
    sommaire(env, "load-pack", str(args.pack))

    django_port = free_port()
    server = stack.enter_context(
        child(
            [sys.executable, "-m", "sommaire", "serve", "--host", HOST,
             "--port", str(django_port), "--workers", str(args.workers),
             "--threads", str(args.server_threads)],
            env=env, log=var_dir / "serve.log", name="sommaire serve",
        )
    )  # fmt: skip
    django = f"http://{HOST}:{django_port}"
    # collectstatic runs first and compresses every DSFR file: allow for it.
    wait_until_up(django, server, timeout=300, log=var_dir / "serve.log")
    try:
        pages = {page: fetch_page(django + page) for page in args.pages}
    except BenchError as error:
        raise BenchError(f"{error}\nServer log:\n{log_tail(var_dir / 'serve.log')}") from None

    nginx_root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sommaire-nginx-")))
    nginx_port = free_port()
    write_nginx_root(nginx_root, pages, args.workers, nginx_port)
    ceiling = stack.enter_context(
        child(
            [find_tool("nginx"), "-e", str(nginx_root / "error.log"), "-p", str(nginx_root),
             "-c", str(nginx_root / "nginx.conf"), "-g", "daemon off;"],
            env=os.environ.copy(), log=nginx_root / "stderr.log", name="nginx",
        )
    )  # fmt: skip
    nginx = f"http://{HOST}:{nginx_port}"
    wait_until_up(nginx, ceiling, timeout=15, log=nginx_root / "error.log")
    for page, body in pages.items():
        if fetch_page(nginx + page) != body:
            raise BenchError(f"nginx does not serve the bytes Django served for {page}")

    lua = var_dir / "report.lua"
    lua.write_text(WRK_SCRIPT)
    results = {"meta": metadata(args), "pages": {}}
    for page, body in pages.items():
        row = {"html_bytes": len(body)}
        for name, base, process in (("django", django, server), ("nginx", nginx, ceiling)):
            print(f"wrk {name} {page}: {args.warmup} s warm-up, {args.duration} s measured")
            wrk(args, base + page, lua, args.warmup, process.pid)
            row[name] = asdict(wrk(args, base + page, lua, args.duration, process.pid))
        row["ratio"] = round(row["django"]["rps"] / row["nginx"]["rps"], 4)
        row["notes"] = notes(row, capacity=args.duration * os.cpu_count())
        results["pages"][page] = row
    return results


FILE_SERVER = """\
server {{
    listen {host}:{port} ssl http2;
    ssl_certificate {root}/fullchain.pem;
    ssl_certificate_key {root}/privkey.pem;
    ssl_session_cache shared:files_tls:10m;
    keepalive_requests 10000;
    root {root}/files;
    index index.html;
    default_type text/html;
}}
"""


def through_nginx(args, stack: contextlib.ExitStack) -> dict:
    """The shipped nginx (deploy/) in front of `sommaire serve`, against the same
    nginx, same TLS, serving the bytes it answered from files: side by side."""
    topology = stack.enter_context(Stack(prefix="sommaire-bench-nginx-"))
    app_port, files_port = free_port(), free_port()
    root = topology.root / "nginx"
    nginx = write_nginx(
        topology, [app_port], workers=args.workers, extra=f"    include {root}/files.conf;"
    )
    env = application_env(topology, "", nginx["https"])
    print(f"Fresh database in {topology.root}")
    for command in (("migrate",), ("collectstatic",), ("load-pack", str(args.pack))):
        topology_sommaire(env, *command)
    app = start_instance(topology, "web", env, app_port, workers=args.workers)
    wait_for(f"http://{HOST}:{app_port}/healthz", app, topology, "web")
    (root / "files.conf").write_text(FILE_SERVER.format(host=HOST, port=files_port, root=root))
    server = start_nginx(topology, nginx)
    wait_for(nginx["https"] + "/healthz", server, topology, "nginx")
    pages = {page: fetch_page(nginx["https"] + page, insecure_tls()) for page in args.pages}
    for page, body in pages.items():
        path = root / "files" / page.lstrip("/")
        path = path / "index.html" if page.endswith("/") else path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    for path in [root / "files", *(root / "files").rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    files = f"https://{HOST}:{files_port}"
    for page, body in pages.items():
        if fetch_page(files + page, insecure_tls()) != body:
            raise BenchError(f"the file server does not serve the bytes nginx served for {page}")
    lua = topology.root / "report.lua"
    lua.write_text(WRK_SCRIPT)
    results = {"meta": {**metadata(args), "mode": "through nginx"}, "pages": {}}
    targets = {"django": nginx["https"], "nginx": files}
    for page, body in pages.items():
        row = {"html_bytes": len(body)}
        for name, base in targets.items():
            print(f"wrk {name} {page}: {args.warmup} s warm-up")
            wrk(args, base + page, lua, args.warmup, server.pid)
        # Short runs in turn, each target first every other round: a neighbour's
        # burst of load falls on both rather than on one.
        runs = {name: [] for name in targets}
        seconds = max(1, args.duration // args.rounds)
        for round_number in range(args.rounds):
            order = list(targets) if round_number % 2 == 0 else list(reversed(targets))
            for name in order:
                print(f"wrk {name} {page}: round {round_number + 1}, {seconds} s")
                runs[name].append(wrk(args, targets[name] + page, lua, seconds, server.pid))
        for name in targets:
            row[name] = combined(runs[name], seconds)
        row["ratio"] = round(row["django"]["rps"] / row["nginx"]["rps"], 4)
        row["notes"] = notes(row, capacity=seconds * args.rounds * os.cpu_count())
        results["pages"][page] = row
    return results


def combined(runs: list[Run], seconds: int) -> dict:
    """Rounds of one target as one run: rates over all rounds, latencies their median."""

    def median(values):
        return round(statistics.median(values), 2)

    requests = sum(run.requests for run in runs)
    cpu = {key: round(sum(run.cpu_s[key] for run in runs), 2) for key in ("server", "wrk", "other")}
    cpu["server_workers"] = []
    cpu["server_ms_per_request"] = round(1000 * cpu["server"] / max(requests, 1), 3)
    return {
        "rps": round(requests / (seconds * len(runs)), 1),
        "p50_ms": median([run.p50_ms for run in runs]),
        "p90_ms": median([run.p90_ms for run in runs]),
        "p99_ms": median([run.p99_ms for run in runs]),
        "mean_ms": median([run.mean_ms for run in runs]),
        "max_ms": max(run.max_ms for run in runs),
        "requests": requests,
        "errors": sum(run.errors for run in runs),
        "error_detail": {
            key: sum(run.error_detail[key] for run in runs) for key in runs[0].error_detail
        },
        "bytes_per_response": runs[0].bytes_per_response,
        "cpu_s": cpu,
        "rounds": [asdict(run) for run in runs],
    }


def topology_sommaire(env: dict, *command: str) -> None:
    try:
        deploy_sommaire(env, *command)
    except TopologyError as error:
        raise BenchError(str(error)) from None


def notes(row: dict, capacity: float) -> list[str]:
    """What disturbed the runs of one page: other processes, or one worker doing it all."""
    found = []
    for name in ("django", "nginx"):
        cpu = row[name]["cpu_s"]
        if cpu["other"] > OTHER_LOAD_WARNING * capacity:
            found.append(f"{name}: other processes took {cpu['other'] / capacity:.0%} of the CPU")
        workers = cpu["server_workers"]
        if len(workers) > 1 and workers[0] > IMBALANCE_WARNING * max(cpu["server"], 0.01):
            found.append(f"{name}: one worker did {workers[0] / cpu['server']:.0%} of the work")
    return found


def server_env(var_dir: Path) -> dict:
    """The environment of the production profile on plain-HTTP loopback, on a fresh var/."""
    env = os.environ.copy()
    for name in list(env):
        if name == "DATABASE_URL" or name.startswith("SOMMAIRE_") or name == "SECRET_KEY":
            del env[name]
    env.update(
        SOMMAIRE_VAR_DIR=str(var_dir),
        SOMMAIRE_DEBUG="false",
        SOMMAIRE_ALLOWED_HOSTS=HOST,
        DJANGO_SETTINGS_MODULE="sommaire.settings",
    )
    return env


def sommaire(env: dict, *command: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sommaire", *command],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if done.returncode != 0:
        raise BenchError(f"sommaire {' '.join(command)} failed:\n{done.stdout}{done.stderr}")


@contextlib.contextmanager
def child(command: list[str], env: dict, log: Path, name: str):
    """Run a server in its own process group and always stop the whole group."""
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, process_group=0,
        )  # fmt: skip
    try:
        yield process
    finally:
        stop_group(process, name)


def stop_group(process: subprocess.Popen, name: str) -> None:
    # The group id is the child's pid (process_group=0): only what we started.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        print(f"{name} did not stop in 15 s: killing it", file=sys.stderr)
    # Workers can outlive their master by a moment; none may outlive the bench.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until_up(base: str, process: subprocess.Popen, timeout: float, log: Path) -> None:
    """Wait for any HTTP answer: the server is listening and its app is loaded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(base + "/", timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.25)
    tail = log_tail(log)
    why = f"exited with {process.returncode}" if process.poll() is not None else "timed out"
    raise BenchError(f"{base} did not answer ({why} after {timeout:.0f} s max). Log:\n{tail}")


def log_tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else ""


def fetch_page(url: str, context=None) -> bytes:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as response:
            # urllib follows redirects: a redirected page is not the page asked for.
            if response.status != 200 or response.url != url:
                raise BenchError(f"{url} answered {response.status} at {response.url}")
            return response.read()
    except urllib.error.HTTPError as error:
        raise BenchError(f"{url} answered {error.code}, not 200: nothing to measure") from None


def write_nginx_root(root: Path, pages: dict, workers: int, port: int) -> None:
    (root / "tmp").mkdir()
    for page, body in pages.items():
        path = root / "html" / page.lstrip("/")
        path = path / "index.html" if page.endswith("/") else path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    (root / "nginx.conf").write_text(
        NGINX_CONF.format(workers=workers, root=root, host=HOST, port=port)
    )
    # Run as root, nginx's workers drop to `nobody`: they must read the files.
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def wrk(args, url: str, lua: Path, duration: int, server_group: int) -> Run:
    command = [
        find_tool("wrk"), f"--threads={args.threads}", f"--connections={args.connections}",
        f"--duration={duration}s", f"--timeout={WRK_TIMEOUT}", f"--script={lua}", url,
    ]  # fmt: skip
    before, busy_before = group_cpu_seconds(server_group), machine_busy_seconds()
    children_before = os.times()
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    children_after = os.times()
    after, busy_after = group_cpu_seconds(server_group), machine_busy_seconds()
    match = re.search(r"^WRK_JSON (\{.*\})$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or not match:
        raise BenchError(f"wrk failed on {url}:\n{done.stdout}{done.stderr}")
    load = (children_after.children_user + children_after.children_system) - (
        children_before.children_user + children_before.children_system
    )
    # Per process: keep-alive connections stay with the worker that accepted
    # them, so one worker can end up with most of the load and one core.
    by_process = sorted(
        (round(after[pid] - before.get(pid, 0.0), 2) for pid in after if pid != server_group),
        reverse=True,
    )
    server = sum(after.values()) - sum(before.get(pid, 0.0) for pid in after)
    # Whatever else ran on the machine meanwhile (tests, builds) took cores from both.
    other = max(0.0, (busy_after - busy_before) - server - load)
    cpu = {
        "server": round(server, 2),
        "server_workers": by_process,
        "wrk": round(load, 2),
        "other": round(other, 2),
    }
    data = json.loads(match.group(1))
    # CPU per request varies far less than req/s when the machine is shared.
    cpu["server_ms_per_request"] = round(1000 * server / max(data["requests"], 1), 3)
    return Run.from_wrk(data, cpu)


def machine_busy_seconds() -> float:
    """CPU seconds spent by the whole machine, all cores, since boot (/proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid: int) -> dict[int, float]:
    """User + system CPU seconds of each live process of one process group, by pid."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (proc / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            # After the command: state ppid pgrp ... utime is field 14, stime 15.
            if int(fields[2]) == pgid:
                seconds[int(proc.name)] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def find_tool(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")


def metadata(args) -> dict:
    versions = {}
    for package in PACKAGES:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions[package] = importlib.metadata.version(package)
    return {
        "date": datetime.date.today().isoformat(),
        "time": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": git_revision(),
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model(),
        "kernel": platform.release(),
        "loadavg_at_start": Path("/proc/loadavg").read_text().split()[:3],
        "nice": args.nice,
        "python": platform.python_version(),
        "packages": versions,
        "wrk": {
            "version": tool_version(["wrk", "-v"]),
            "threads": args.threads,
            "connections": args.connections,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "timeout": WRK_TIMEOUT,
        },
        "server": {
            "command": "sommaire serve",
            "worker_class": "gthread",
            "workers": args.workers,
            "threads": args.server_threads,
            "database": "sqlite (fresh, temporary)",
        },
        "nginx": {"version": tool_version(["nginx", "-v"]), "workers": args.workers},
        "target_home": TARGET,
    }


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def tool_version(command: list[str]) -> str:
    command = [find_tool(command[0]) or command[0], *command[1:]]
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        done = subprocess.run(command, capture_output=True, text=True, timeout=10)
        return (done.stdout + done.stderr).strip().splitlines()[0]
    return "unknown"


def git_revision() -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=PROJECT_DIR, capture_output=True, text=True, timeout=10,
        )  # fmt: skip
        if done.returncode == 0:
            return done.stdout.strip()
    return "no commit"


def target_met(results: dict) -> bool | None:
    home = results["pages"].get(HOME)
    if home is None:
        return None
    run = home["django"]
    return (
        run["rps"] >= TARGET["rps"]
        and run["p99_ms"] < TARGET["p99_ms"]
        and run["errors"] <= TARGET["errors"]
    )


def print_table(results: dict) -> None:
    meta = results["meta"]
    print(
        f"\n{meta['date']}  {meta['nproc']} CPU ({meta['cpu_model']})  "
        f"wrk -t{meta['wrk']['threads']} -c{meta['wrk']['connections']} "
        f"-d{meta['wrk']['duration_s']}s  gunicorn gthread {meta['server']['workers']}x"
        f"{meta['server']['threads']}  nginx {meta['nginx']['workers']} workers\n"
    )
    width = max(len(page) for page in [*results["pages"], "page"]) + 2
    header = f"{'page':<{width}}{'server':<8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
    print(
        header + f"{'errors':>8}{'KiB':>7}{'CPU s srv/wrk/other':>21}{'ms CPU/req':>12}{'ratio':>8}"
    )
    for page, row in results["pages"].items():
        for name in ("django", "nginx"):
            run = row[name]
            ratio = f"{row['ratio']:.1%}" if name == "django" else ""
            cpu = "/".join(f"{run['cpu_s'].get(k, 0):.1f}" for k in ("server", "wrk", "other"))
            per_request = run["cpu_s"].get("server_ms_per_request", 0)
            print(
                f"{page:<{width}}{name:<8}{run['rps']:>9.0f}{run['p50_ms']:>9.1f}"
                f"{run['p99_ms']:>9.1f}{run['errors']:>8}"
                f"{run['bytes_per_response'] / 1024:>7.1f}{cpu:>21}{per_request:>12.2f}{ratio:>8}"
            )


def record(results: dict) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    name = "pages-nginx" if results["meta"].get("mode") == "through nginx" else "pages"
    path = RESULTS_DIR / f"{name}-{results['meta']['date']}.json"
    if path.exists():  # a second run that day: never overwrite a recorded one
        path = path.with_stem(f"{path.stem}-{datetime.datetime.now():%H%M%S}")
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    append_readme_rows(results, path)
    return path


def append_readme_rows(results: dict, path: Path) -> None:
    """Add one line per page just above the end marker of the README's results table."""
    end = NGINX_TABLE_END if results["meta"].get("mode") == "through nginx" else TABLE_END
    if not README.exists() or end not in README.read_text():
        print(f"bench/README.md has no '{end}' marker: table not updated", file=sys.stderr)
        return
    meta = results["meta"]
    machine = f"{meta['nproc']} × {meta['cpu_model']}"
    lines = []
    for page, row in results["pages"].items():
        d, n = row["django"], row["nginx"]
        lines.append(
            f"| {meta['date']} | {meta['commit']} | {machine} | `{page}` | {d['rps']:.0f} | "
            f"{d['p50_ms']:.1f} | {d['p99_ms']:.1f} | {d['errors']} | "
            f"{d['cpu_s']['server_ms_per_request']:.2f} | {n['rps']:.0f} | "
            f"{n['p99_ms']:.1f} | {row['ratio']:.1%} | {'; '.join(row['notes']) or '—'} | "
            f"[json](results/{path.name}) |"
        )
    text = README.read_text()
    README.write_text(text.replace(end, "\n".join(lines) + "\n" + end, 1))


if __name__ == "__main__":
    sys.exit(main())
