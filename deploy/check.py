"""make deploy-check: the shipped topology, started and hurt on this machine.

Starts, on loopback only and under one temporary directory: a PostgreSQL
cluster of its own (initdb, a free port), nginx with deploy/nginx/ (paths
and ports substituted, TLS with a throw-away certificate), two application
instances (`sommaire serve`), two job runners (`sommaire run-jobs`) and
slow local web servers that the catalog's links point to. Then:

1. a load through nginx (wrk, 64 connections, bounded time): no error;
2. one application instance killed mid-load (SIGKILL): nginx routes around
   it; the requests that failed are counted, and none may fail later than
   one second after the kill; the instance is then started again;
3. the job runner in the middle of the link check killed (SIGKILL): the
   other takes the job over when the lease expires, the two runs never
   overlap (in the jobs' records, and at the link servers, which trace every
   request to the runner's pid and so to its job: the link check never
   fetches an address twice at once), every link is checked, and the cut-off
   run is recorded as interrupted (in the runs of the job and of the link
   checker);
4. PostgreSQL stopped then started: /healthz of both instances says 503
   while it is down and 200 again after, with no restart of either, and
   never more than its four fields (no secret key, no database address);
5. everything started is stopped (also on failure, Ctrl-C or SIGTERM), and
   that is checked: no live process left in any group it started, no folder.

One line per step; exit status 1 when any step fails (130 after Ctrl-C).
A minute and a half to two minutes on two busy cores.
"""

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from topology import (  # noqa: E402 - the folder above is not a package
    ADDRESS,
    LOOPBACK,
    PROJECT_DIR,
    Postgres,
    Stack,
    TopologyError,
    application_env,
    find_tool,
    free_port,
    insecure_tls,
    sommaire,
    start_instance,
    start_nginx,
    wait_for,
    write_nginx,
)

# Loopback addresses of the link servers: each one is a host of its own for
# the checker's per-host politeness, so the check takes seconds, not minutes.
LINK_HOSTS = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]
LINK_DELAY_SECONDS = 0.3
LEASE_SECONDS = 6
HEALTH_FIELDS = {"status", "database", "jobs", "stalled_jobs"}
PAGES = ["/", "/hopital/", "/glossaire/", "/medecine-de-ville/"]

WRK_PATHS = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


class StepFailed(Exception):
    pass


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per step (5)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder's logs")
    parser.add_argument("--serve-links", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_links:
        return serve_links(args.serve_links)
    # Ctrl-C and SIGTERM take the same way out, through the clean-up; SIGINT
    # too when started in the background, where the shell ignores it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, interrupt)
    results = []
    interrupted = False
    started = time.monotonic()
    stack = None
    try:
        with Stack(prefix="sommaire-deploy-check-") as stack:
            try:
                check = DeployCheck(stack, args)
                check.set_up()
                for number, (title, step) in enumerate(check.steps(), 1):
                    results.append(report(number, title, step))
                    if not results[-1]:
                        break
            finally:
                if args.keep:
                    kept = Path(f"/tmp/{stack.root.name}-logs")
                    shutil.copytree(stack.logs, kept, dirs_exist_ok=True)
                    print(f"logs kept in {kept}")
    except TopologyError as error:
        print(f"deploy-check: set-up failed: {error}", file=sys.stderr)
        results.append(False)
    except KeyboardInterrupt:
        print("deploy-check: interrupted", file=sys.stderr)
        interrupted = True
    results.append(report_cleanup(stack, time.monotonic() - started))
    if interrupted:
        return 130
    return 0 if all(results) else 1


def report_cleanup(stack: Stack | None, seconds: float) -> bool:
    """Step 5, checked rather than assumed: no process of ours left, no folder."""
    if stack is None:
        print(f"5. cleanup: ok — nothing was started ({seconds:.0f} s in all)")
        return True
    left = stack.leftovers()
    if left or stack.root.exists():
        folder = f"{stack.root} still there" if stack.root.exists() else "folder removed"
        print(f"5. cleanup: FAILED — still running: {', '.join(left) or 'nothing'}; {folder}")
        return False
    print(
        f"5. cleanup: ok — {len(stack.pgids)} process groups stopped, none left running, "
        f"temporary folder removed ({seconds:.0f} s in all)"
    )
    return True


def interrupt(signum, frame):
    raise KeyboardInterrupt


def report(number: int, title: str, step) -> bool:
    try:
        detail = step()
    except StepFailed as error:
        print(f"{number}. {title}: FAILED — {error}", flush=True)
        return False
    print(f"{number}. {title}: ok — {detail}", flush=True)
    return True


class DeployCheck:
    def __init__(self, stack: Stack, args) -> None:
        self.stack = stack
        self.args = args
        self.ports = {}
        self.instances = {}

    # --- set-up -------------------------------------------------------------

    def set_up(self) -> None:
        for tool in ("wrk", "nginx", "openssl"):
            find_tool(tool)
        self.db = Postgres(self.stack)
        self.db.create()
        self.links = self.start_link_servers()
        self.ports = {"web1": free_port(), "web2": free_port()}
        self.nginx = write_nginx(self.stack, list(self.ports.values()), workers=2)
        self.env = application_env(
            self.stack,
            self.db.url,
            self.nginx["https"],
            SOMMAIRE_FETCH_ALLOWED_NETWORKS="127.0.0.0/8",
            SOMMAIRE_JOBS_LEASE_SECONDS=str(LEASE_SECONDS),
            SOMMAIRE_LINKCHECK_LOCK_SECONDS=str(LEASE_SECONDS),
            SOMMAIRE_FETCH_TIMEOUT="5",
        )
        sommaire(self.env, "migrate", "--no-input", "-v", "0")
        sommaire(self.env, "collectstatic", "--no-input", "-v", "0")
        sommaire(self.env, "load-pack", str(self.local_pack()))
        for name in self.ports:
            self.start_instance(name)
        self.nginx_process = start_nginx(self.stack, self.nginx)
        wait_for(self.nginx["https"] + "/healthz", self.nginx_process, self.stack, "nginx")

    def start_instance(self, name: str) -> None:
        process = start_instance(self.stack, name, self.env, self.ports[name])
        self.instances[name] = process
        wait_for(self.instance_url(name) + "/healthz", process, self.stack, name)

    def instance_url(self, name: str) -> str:
        return f"http://{LOOPBACK}:{self.ports[name]}"

    def start_link_servers(self) -> list[str]:
        addresses = [f"{host}:{free_port(host)}" for host in LINK_HOSTS]
        process = self.stack.start(
            "links", [sys.executable, __file__, "--serve-links", *addresses], os.environ.copy()
        )
        for address in addresses:
            wait_for(f"http://{address}/__requests", process, self.stack, "links", timeout=30)
        return addresses

    def local_pack(self) -> Path:
        """The Ségur pack with every address moved to the local link servers."""
        pack = self.stack.root / "pack"
        shutil.copytree(PROJECT_DIR / "content" / "segur", pack)
        hosts = {}

        def local(match: re.Match) -> str:
            host = match.group(1)
            server = hosts.setdefault(host, self.links[len(hosts) % len(self.links)])
            return f"http://{server}/{host}"

        for path in pack.rglob("*.yaml"):
            path.write_text(ADDRESS.sub(local, path.read_text()))
        return pack

    def steps(self):
        yield "load through nginx", self.step_load
        yield "an instance killed mid-load", self.step_kill_instance
        yield "a job runner killed mid link check", self.step_kill_runner
        yield "PostgreSQL restarted", self.step_restart_database

    # --- 1. load ---------------------------------------------------------------

    def step_load(self) -> str:
        static = self.static_path()
        paths = [*PAGES, static, "/recherche/?q=ins", "/healthz"]
        lua = self.stack.root / "paths.lua"
        lua.write_text(WRK_PATHS % ", ".join(json.dumps(p) for p in paths))
        done = subprocess.run(
            [find_tool("wrk"), "-t2", f"-c{self.args.connections}", f"-d{self.args.duration}s",
             "--timeout", "10s", "-s", str(lua), self.nginx["https"] + "/"],
            capture_output=True, text=True, timeout=self.args.duration + 60,
        )  # fmt: skip
        requests = re.search(r"(\d+) requests in", done.stdout)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
        sockets = re.search(r"Socket errors: (.*)", done.stdout)
        rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
        if done.returncode != 0 or not requests:
            raise StepFailed(f"wrk failed: {done.stdout}{done.stderr}")
        errors = int(non2xx.group(1)) if non2xx else 0
        if errors or sockets:
            raise StepFailed(
                f"{errors} non-2xx answers, socket errors: {sockets.group(1) if sockets else 0}"
            )
        return (
            f"{requests.group(1)} requests in {self.args.duration} s "
            f"({float(rate.group(1)):.0f} req/s, {len(paths)} paths, static and uncached "
            f"included), 0 errors"
        )

    def static_path(self) -> str:
        manifest = json.loads((self.stack.root / "var/static/staticfiles.json").read_text())
        name = next(v for k, v in manifest["paths"].items() if k.endswith(".css"))
        return f"/static/{name}"

    # --- 2. an instance killed ---------------------------------------------------

    def step_kill_instance(self) -> str:
        duration = max(self.args.duration, 6)
        kill_at = 2.0
        timer = threading.Timer(kill_at, self.stack.kill, args=("web1",))
        timer.start()
        try:
            outcome = asyncio.run(
                load(self.nginx["https"], self.args.connections, duration, unique_searches=True)
            )
        finally:
            # Interrupted early: the kill must not come in the middle of the clean-up.
            timer.cancel()
            timer.join()
        failures = outcome["failures"]
        late = [t for t, _ in failures if t > kill_at + 1.0]
        self.start_instance("web1")
        kinds = ", ".join(sorted({kind for _, kind in failures}))
        summary = (
            f"{outcome['requests']} requests in {duration} s, half of them uncached searches; "
            f"web1 killed at {kill_at:.0f} s; {len(failures)} failed during the switch"
            f"{f' ({kinds})' if kinds else ''}, {len(late)} later; web1 started again"
        )
        if late:
            raise StepFailed(summary)
        return summary

    # --- 3. a job runner killed -----------------------------------------------------

    def step_kill_runner(self) -> str:
        for name in ("jobs1", "jobs2"):
            self.stack.start(name, [sys.executable, "-m", "sommaire", "run-jobs"], self.env)
        names = {pid: name for name, pid in self.runner_pids().items()}
        holder = self.wait_for_link_check_underway()
        runner = names[holder]
        self.stack.kill(runner)  # returns once the process is gone
        dead_at = time.time()
        survivor = "jobs2" if runner == "jobs1" else "jobs1"
        runs = self.wait_for_takeover()
        interrupted, taker = runs[0], runs[-1]
        if interrupted["outcome"] != "interrupted" or taker["outcome"] not in ("ok", "warning"):
            raise StepFailed(f"runs of check-links: {runs}")
        if taker["runner"].split(":")[-1] != str(self.stack.groups[survivor].pid):
            raise StepFailed(f"taken over by {taker['runner']}, not by {survivor}")
        waited = (taker["started_at"] - interrupted["heartbeat_at"]).total_seconds()
        if taker["started_at"] < interrupted["finished_at"] or waited < LEASE_SECONDS * 2 / 3:
            raise StepFailed(f"the two runs overlap: {runs}")
        checked, expected, link_runs = self.links_checked_since(taker["started_at"])
        if checked != expected or expected == 0:
            raise StepFailed(f"{checked} links checked by the new run, {expected} expected")
        if link_runs[:2] != ["done", "failed"]:
            raise StepFailed(f"link checker runs, newest first: {link_runs}")
        fetches = self.fetches_by_job()
        for fetch in fetches:
            if fetch["pid"] == holder:
                # The server may still be answering a dead runner's request:
                # it stops counting at the death, so only live runners overlap.
                fetch["end"] = min(fetch["end"] or dead_at, dead_at)
        checking = [f for f in fetches if f["job"] == "check-links"]
        self.check_link_fetches(fetches, checking, names, holder)
        # Different jobs may well fetch one page at once (the watcher reads the
        # pages that contacts were found on, which the link check checks too).
        shared = [(a["job"], b["job"]) for a, b in simultaneous(fetches) if a["job"] != b["job"]]
        jobs = ", ".join(sorted({" and ".join(sorted(pair)) for pair in shared}))
        return (
            f"{runner} killed mid-check "
            f"({sum(f['pid'] == holder for f in checking)} link requests served so far); "
            f"{survivor} took over "
            f"{waited:.1f} s after the last heartbeat (lease {LEASE_SECONDS} s); "
            f"{checked}/{expected} links checked; cut-off run recorded 'interrupted' "
            f"(job and link checker); the link check never fetched an address twice at once "
            f"({len(shared)} fetched at once by two different jobs{f': {jobs}' if jobs else ''})"
        )

    def check_link_fetches(self, fetches, checking, names, holder) -> None:
        """The link servers' view: every request traced to a job run, and the
        link check's requests never twice at once, nor by both runners at once."""
        untraced = [f for f in fetches if f["job"] is None]
        if untraced:
            raise StepFailed(f"{len(untraced)} link requests traced to no job run: {untraced[:3]}")
        twice = [
            f"{a['address']} ({names.get(a['pid'], a['pid'])}, {names.get(b['pid'], b['pid'])})"
            for a, b in simultaneous(checking)
        ]
        if twice:
            raise StepFailed(
                f"the link check fetched {len(twice)} addresses twice at once: "
                f"{'; '.join(twice[:3])}"
            )
        dead = [f["end"] for f in checking if f["pid"] == holder]
        taken = [f["start"] for f in checking if f["pid"] != holder]
        if dead and taken and min(taken) < max(dead):
            raise StepFailed("the link servers saw both runners checking links at the same time")

    def runner_pids(self) -> dict[str, int]:
        return {
            name: process.pid
            for name, process in self.stack.groups.items()
            if name.startswith("jobs")
        }

    def wait_for_link_check_underway(self) -> int:
        """The pid of the runner holding check-links, 1.5 s into it."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            owner = self.query(
                "SELECT lease_owner FROM jobs_job WHERE name = 'check-links' "
                "AND lease_until > now()"
            )
            if owner and owner[0][0]:
                time.sleep(1.5)
                return int(owner[0][0].split(":")[-1])
            time.sleep(0.1)
        raise StepFailed("no runner started the link check within 120 s")

    def wait_for_takeover(self) -> list[dict]:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            rows = self.query(
                "SELECT r.runner, r.started_at, r.heartbeat_at, r.finished_at, r.outcome "
                "FROM jobs_jobrun r JOIN jobs_job j ON j.id = r.job_id "
                "WHERE j.name = 'check-links' ORDER BY r.started_at, r.id"
            )
            names = ("runner", "started_at", "heartbeat_at", "finished_at", "outcome")
            runs = [dict(zip(names, row, strict=True)) for row in rows]
            if len(runs) >= 2 and runs[-1]["outcome"] != "running":
                return runs
            time.sleep(0.25)
        raise StepFailed("the link check was not taken over and finished within 120 s")

    def links_checked_since(self, started) -> tuple[int, int, list[str]]:
        (checked,) = self.query(
            "SELECT count(*) FROM linkcheck_link WHERE last_checked_at >= %s", (started,)
        )[0]
        runs = self.query("SELECT outcome, url_count FROM linkcheck_run ORDER BY started_at DESC")
        return checked, runs[0][1], [outcome for outcome, _ in runs]

    def fetches_by_job(self) -> list[dict]:
        """Every request the link servers answered, with the job that sent it: the
        run of that pid (a runner runs one job at a time) under way at that moment."""
        runs = [
            (
                name,
                int(runner.split(":")[-1]),
                started.timestamp(),
                finished and finished.timestamp(),
            )
            for name, runner, started, finished in self.query(
                "SELECT j.name, r.runner, r.started_at, r.finished_at "
                "FROM jobs_jobrun r JOIN jobs_job j ON j.id = r.job_id"
            )
        ]
        # One process serves every link address, and each of them lists all requests.
        with urllib.request.urlopen(f"http://{self.links[0]}/__requests", timeout=5) as response:
            fetches = json.load(response)
        for fetch in fetches:
            fetch["job"] = job_of(fetch, runs)
        return fetches

    def query(self, sql: str, params=()) -> list[tuple]:
        with psycopg.connect(self.db.url, connect_timeout=5) as connection:
            return connection.execute(sql, params).fetchall()

    # --- 4. PostgreSQL restarted -------------------------------------------------------

    def step_restart_database(self) -> str:
        pids = {name: process.pid for name, process in self.instances.items()}
        watch = HealthWatch([self.instance_url(name) for name in pids])
        watch.start()
        try:
            time.sleep(1)
            self.db.stop("fast")
            stopped = time.monotonic()
            time.sleep(3)
            started = time.monotonic()
            self.db.start()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not watch.all_ok_since(started):
                time.sleep(0.2)
        finally:
            watch.stop()
        for name, pid in pids.items():
            if self.instances[name].poll() is not None or self.instances[name].pid != pid:
                raise StepFailed(f"{name} stopped or was restarted")
        leaks = watch.leaks([self.env["SECRET_KEY"], self.db.url, str(self.db.port)])
        if leaks:
            raise StepFailed(f"/healthz said more than its four fields: {leaks[:3]}")
        lies = watch.said_ok_between(stopped, started)
        if lies:
            raise StepFailed(f"/healthz said 200 while PostgreSQL was down ({lies} times)")
        down = watch.down_answers(stopped, started)
        if any(count == 0 for count in down.values()):
            raise StepFailed(f"/healthz never said the database was down: {down}")
        recovered = watch.all_ok_since(started)
        if not recovered:
            raise StepFailed(f"/healthz still failing 30 s after the restart: {watch.last}")
        if any(process.poll() is not None for process in self.stack.groups.values()):
            gone = [n for n, p in self.stack.groups.items() if p.poll() is not None]
            raise StepFailed(f"processes ended: {gone}")
        pages = [fetch(self.nginx["https"] + f"/recherche/?q=apres{n}") for n in range(4)]
        if set(pages) != {200}:
            raise StepFailed(f"uncached pages after the restart: {pages}")
        return (
            f"/healthz of both instances said 503 'unreachable' while it was down "
            f"({sum(down.values())} probes, never 200), 200 again {recovered:.1f} s after "
            f"it started; {len(watch.bodies)} answers, none with more than its four fields "
            f"or a secret; no instance or runner restarted; pages served"
        )


def job_of(fetch: dict, runs: list[tuple]) -> str | None:
    """The job whose run by the fetch's process was under way when it started;
    `runs` are (job, pid, started, finished or None) with times in seconds."""
    for name, pid, started, finished in runs:
        if pid == fetch["pid"] and started <= fetch["start"] <= (finished or float("inf")):
            return name
    return None


def simultaneous(fetches: list[dict]):
    """Pairs of requests for the same address that were in flight at the same moment."""
    by_address = {}
    for fetch in fetches:
        by_address.setdefault(fetch["address"], []).append(fetch)
    for same in by_address.values():
        same.sort(key=lambda f: f["start"])
        for i, a in enumerate(same):
            for b in same[i + 1 :]:
                if b["start"] < (a["end"] or float("inf")):
                    yield a, b


class HealthWatch(threading.Thread):
    """Probe /healthz of each instance every 0.1 s; keep (time, base, status, database)."""

    def __init__(self, bases: list[str]) -> None:
        super().__init__(daemon=True)
        self.bases = bases
        self.answers = []
        self.bodies = []
        self.last = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.1):
            for base in self.bases:
                status, body = fetch_json(base + "/healthz")
                self.answers.append((time.monotonic(), base, status, body.get("database")))
                if status:  # an answer came (not a refused connection or a timeout)
                    self.bodies.append(body)
                self.last[base] = (status, body)

    def stop(self) -> None:
        self.done.set()
        self.join()

    def leaks(self, secrets: list[str]) -> list[dict]:
        """Answers with other fields than /healthz's four, or carrying a secret."""
        return [
            body
            for body in self.bodies
            if set(body) != HEALTH_FIELDS or any(secret in json.dumps(body) for secret in secrets)
        ]

    def said_ok_between(self, start: float, end: float) -> int:
        return sum(1 for t, _, status, _ in self.answers if start < t < end and status == 200)

    def down_answers(self, start: float, end: float) -> dict[str, int]:
        return {
            base: sum(
                1
                for t, b, status, database in self.answers
                if b == base and start < t < end and status == 503 and database == "unreachable"
            )
            for base in self.bases
        }

    def all_ok_since(self, start: float) -> float | None:
        """Seconds from `start` until every instance said 200, or None."""
        firsts = []
        for base in self.bases:
            times = [
                t for t, b, status, _ in self.answers if b == base and t > start and status == 200
            ]
            if not times:
                return None
            firsts.append(min(times))
        return max(firsts) - start


def fetch(url: str) -> int:
    return fetch_json(url)[0]


def fetch_json(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10, context=insecure_tls()) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    except OSError:
        return 0, {}
    try:
        return status, json.loads(body)
    except ValueError:
        return status, {}


async def load(base: str, connections: int, duration: float, unique_searches: bool) -> dict:
    """`connections` clients in a loop for `duration` s; each failure with its time."""
    import aiohttp

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connector = aiohttp.TCPConnector(limit=connections, ssl=context)
    timeout = aiohttp.ClientTimeout(total=15)
    start = time.monotonic()
    counter = {"requests": 0, "n": 0}
    failures = []

    async def client(session):
        while time.monotonic() - start < duration:
            counter["n"] += 1
            path = PAGES[counter["n"] % len(PAGES)]
            if unique_searches and counter["n"] % 2:
                path = f"/recherche/?q=charge{counter['n']}"
            try:
                async with session.get(base + path) as response:
                    await response.read()
                    if response.status != 200:
                        failures.append((time.monotonic() - start, f"HTTP {response.status}"))
            except (TimeoutError, aiohttp.ClientError) as error:
                failures.append((time.monotonic() - start, type(error).__name__))
            counter["requests"] += 1

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(client(session) for _ in range(connections)))
    return {"requests": counter["requests"], "failures": failures}


# --- the slow link servers (run as a child process) ---------------------------------


def serve_links(addresses: list[str]) -> int:
    """Answer every path after LINK_DELAY_SECONDS; list each request on /__requests
    with its address, when it started and ended, and the pid of the process that
    asked (a job runner), so the check can tell which job fetched what."""
    from aiohttp import web

    served: list[dict] = []
    pids: dict[object, int | None] = {}  # per connection: its client's pid

    async def answer(request):
        if request.path == "/__requests":
            return web.json_response(served)
        started = time.time()
        transport = request.transport
        if transport not in pids:
            client = transport.get_extra_info("peername")[:2]
            server = transport.get_extra_info("sockname")[:2]
            pids[transport] = await asyncio.to_thread(client_pid, client, server)
        fetch = {"address": f"{request.host}{request.path_qs}", "method": request.method,
                 "pid": pids[transport], "start": started, "end": None}  # fmt: skip
        served.append(fetch)
        try:
            await asyncio.sleep(LINK_DELAY_SECONDS)
        finally:
            fetch["end"] = time.time()
        if request.path.endswith(".pdf"):
            return web.Response(body=b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        html = "<!doctype html><html><head><title>Page</title></head><body><main>"
        html += "<h1>Page publiée</h1>" + "<p>Un texte de page officielle.</p>" * 20
        return web.Response(text=html + "</main></body></html>", content_type="text/html")

    async def main():
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", answer)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        for address in addresses:
            host, port = address.rsplit(":", 1)
            await web.TCPSite(runner, host, int(port)).start()
        await asyncio.Event().wait()

    asyncio.run(main())
    return 0


def client_pid(client: tuple[str, int], server: tuple[str, int]) -> int | None:
    """The pid holding the loopback TCP socket `client` -> `server` (Linux, /proc).

    The socket's inode comes from /proc/net/tcp, read again when missing: the
    kernel lists that table in pieces, and a socket opened meanwhile can be
    skipped. Then the process with a descriptor on that inode.
    """
    wanted = (proc_address(*client), proc_address(*server))
    for _ in range(5):
        with open("/proc/net/tcp") as table:
            rows = [line.split() for line in table.read().splitlines()[1:]]
        inode = next((row[9] for row in rows if (row[1], row[2]) == wanted), None)
        if inode not in (None, "0"):
            break
        time.sleep(0.02)
    else:
        return None
    target = f"socket:[{inode}]"
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        with contextlib.suppress(OSError):
            if os.readlink(fd) == target:
                return int(fd.parts[2])
    return None


def proc_address(host: str, port: int) -> str:
    """An IPv4 address and port as /proc/net/tcp writes them: 0100007F:1F90."""
    return f"{int.from_bytes(socket.inet_aton(host), 'little'):08X}:{port:04X}"


if __name__ == "__main__":
    sys.exit(main())
