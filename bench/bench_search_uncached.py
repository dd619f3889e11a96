"""The uncached search page on the real catalog: one at a time, and under load.

Usage: .venv/bin/python bench/bench_search_uncached.py [--baseline DIR] [--queries 300]
       [--duration 20] [--rounds 2] [--connections 64] [--no-record]

Steps:
1. A fresh SQLite database in a temporary directory: `migrate`,
   `collectstatic`, `load-pack content/segur` (166 resources).
2. Queries: distinct pairs of words taken from the catalog's titles and
   descriptions (a fixed seed), each asked once per server: the page cache
   never answers, every request builds and renders its page.
3. `sommaire serve --workers 2` of the work tree and, with `--baseline DIR`
   (the `src` folder of a copy of the tree before a change), the same
   command running that code (PYTHONPATH), on the same database.
4. One at a time: `--queries` requests over one kept-alive connection per
   server, in `--rounds` turns alternating which server goes first; p50,
   p95, p99 of the time to the last byte.
5. Under load: wrk, 64 connections, each request a query no server saw
   before, `--rounds` runs of `duration ÷ rounds` seconds per server in
   turn; req/s, p50/p99, non-2xx and socket errors.
   In both phases, the CPU time the server's processes (gunicorn and its
   workers) spent per request: steadier than times on a shared machine.
6. A table; unless --no-record, results/search-uncached-<date>.json and a
   line per server in the table of bench/README.md.

Targets: p50 under 4 ms and p95 under 10 ms one at a time, at least 500
req/s under 64 connections.
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path.insert(0, str(PROJECT_DIR / "deploy"))

import provenance  # noqa: E402
from topology import (  # noqa: E402 - deploy/ is a folder of scripts, not a package
    LOOPBACK,
    Stack,
    TopologyError,
    application_env,
    free_port,
    wait_for,
)
from topology import sommaire as run_sommaire  # noqa: E402

README = BENCH_DIR / "README.md"
TABLE_END = "<!-- end of uncached search page results -->"
TARGET = {"p50_ms": 4.0, "p95_ms": 10.0, "rps": 500.0}
WORD = re.compile(r"[a-zà-ÿ]{4,}")

WRK_LUA = """
local queries = {%s}
local threads = {}
local count = 0
function setup(thread)
  thread:set("id", count)
  count = count + 1
  table.insert(threads, thread)
end
function init(args)
  step = tonumber(args[1])
  i = id + tonumber(args[2])
  non2xx = 0
end
function request()
  i = i + step
  return wrk.format("GET", "/recherche/?q=" .. queries[(i %% #queries) + 1])
end
function response(status, headers, body)
  if status ~= 200 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("non2xx") end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"duration_us":%%d,"requests":%%d,"non2xx":%%d,"socket":%%d,' ..
    '"p50_us":%%d,"p99_us":%%d}\\n', summary.duration, summary.requests, bad,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50),
    latency:percentile(99)))
end
"""


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        with Stack(prefix="sommaire-bench-search-") as stack:
            results = run(args, stack)
    except TopologyError as error:
        print(f"bench_search_uncached: {error}", file=sys.stderr)
        return 1
    print_table(results)
    if not args.no_record:
        path = record(results)
        print(f"\nRecorded in {path.relative_to(PROJECT_DIR)} and bench/README.md")
    return 0


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="src folder of the code before a change")
    parser.add_argument("--queries", type=int, default=300, help="one-at-a-time requests (300)")
    parser.add_argument("--duration", type=int, default=20, help="wrk seconds per server (20)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pack", type=Path, default=PROJECT_DIR / "content" / "segur")
    parser.add_argument("--no-record", action="store_true")
    return parser.parse_args(argv)


def run(args, stack: Stack) -> dict:
    env = application_env(stack, "", f"http://{LOOPBACK}")
    env.update(SOMMAIRE_HTTPS="false")
    for command in (("migrate", "-v", "0"), ("collectstatic", "--no-input", "-v", "0")):
        run_sommaire(env, *command)
    run_sommaire(env, "load-pack", str(args.pack))
    codes = {"after (work tree)": None}
    if args.baseline:
        codes = {"before (baseline)": args.baseline.resolve(), **codes}
    servers, groups = {}, {}
    for name, src in codes.items():
        port = free_port()
        server_env = dict(env)
        if src:
            server_env["PYTHONPATH"] = str(src)
        command = [sys.executable, "-m", "sommaire", "serve", "--host", LOOPBACK,
                   "--port", str(port), "--workers", str(args.workers)]  # fmt: skip
        label = "baseline" if src else "worktree"
        process = stack.start(label, command, server_env)
        wait_for(f"http://{LOOPBACK}:{port}/", process, stack, label, timeout=300)
        servers[name], groups[name] = port, process.pid
    pool = query_pool(args.pack, seed=2026)
    one_at_a_time = {name: [] for name in servers}
    loads = {name: [] for name in servers}
    cpu = {name: {"one_at_a_time": 0.0, "load": 0.0} for name in servers}
    used = 0
    lua = stack.root / "queries.lua"
    for round_number in range(args.rounds):
        order = list(servers) if round_number % 2 == 0 else list(reversed(servers))
        for name in order:
            print(f"{name}: round {round_number + 1}, {args.queries} queries one at a time")
            before = group_cpu(groups[name])
            one_at_a_time[name] += sequential(servers[name], pool[used : used + args.queries])
            cpu[name]["one_at_a_time"] += group_cpu(groups[name]) - before
        used += args.queries
    seconds = max(1, args.duration // args.rounds)
    load_queries = pool[used:]
    lua.write_text(WRK_LUA % ", ".join(json.dumps(q) for q in load_queries))
    for round_number in range(args.rounds):
        order = list(servers) if round_number % 2 == 0 else list(reversed(servers))
        for name in order:
            print(f"{name}: round {round_number + 1}, wrk {seconds} s")
            # Each round starts further on: no server sees a query twice.
            offset = round_number * 20_000
            before = group_cpu(groups[name])
            loads[name].append(wrk(servers[name], lua, seconds, args.connections, offset))
            cpu[name]["load"] += group_cpu(groups[name]) - before
    return {
        "meta": {
            "date": time.strftime("%Y-%m-%d"),
            "commit": provenance.commit(),
            "machine": provenance.machine(),
            "loadavg_at_start": Path("/proc/loadavg").read_text().split()[:3],
            "queries_distinct": len(pool),
            "catalog": str(args.pack.relative_to(PROJECT_DIR)),
            "workers": args.workers,
            "connections": args.connections,
            "rounds": args.rounds,
            "seconds_per_round": seconds,
            "target": TARGET,
        },
        "servers": {
            name: summarise(one_at_a_time[name], loads[name], seconds, cpu[name])
            for name in servers
        },
    }


def query_pool(pack: Path, seed: int) -> list[str]:
    """Distinct two-word queries from the words of the pack, shuffled with `seed`."""
    text = " ".join(path.read_text().lower() for path in sorted(pack.rglob("*.yaml")))
    words = sorted(set(WORD.findall(text)))
    rng = random.Random(seed)
    pairs = set()
    while len(pairs) < 60_000:
        pairs.add((rng.choice(words), rng.choice(words)))
    ordered = sorted(pairs)
    rng.shuffle(ordered)
    return [quote_plus(f"{a} {b}") for a, b in ordered]


def sequential(port: int, queries: list[str]) -> list[float]:
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=30)
    times = []
    for query in queries:
        started = time.perf_counter()
        connection.request("GET", f"/recherche/?q={query}")
        response = connection.getresponse()
        response.read()
        times.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise TopologyError(f"/recherche/?q={query} answered {response.status}")
    connection.close()
    return times


def wrk(port: int, lua: Path, seconds: int, connections: int, offset: int) -> dict:
    wrk_path = shutil.which("wrk") or "/usr/bin/wrk"
    command = [wrk_path, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
               "-s", str(lua), f"http://{LOOPBACK}:{port}/", "--", "2", str(offset)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    match = re.search(r"^WRK_JSON (\{.*\})$", done.stdout, re.MULTILINE)
    if not match:
        raise TopologyError(f"wrk failed:\n{done.stdout}{done.stderr}")
    return json.loads(match.group(1))


def group_cpu(group: int) -> float:
    """CPU seconds spent so far by the processes of `group` (a server and its workers)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:
                ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def summarise(times: list[float], loads: list[dict], seconds: int, cpu: dict) -> dict:
    times = sorted(times)

    def pct(share):
        return round(times[min(len(times) - 1, int(len(times) * share))], 2)

    requests = sum(load["requests"] for load in loads)
    return {
        "one_at_a_time": {
            "requests": len(times),
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": pct(0.95),
            "p99_ms": pct(0.99),
            "cpu_ms_per_request": round(cpu["one_at_a_time"] * 1000 / len(times), 2),
        },
        "load": {
            "rps": round(requests / (seconds * len(loads)), 1),
            "requests": requests,
            "errors": sum(load["non2xx"] + load["socket"] for load in loads),
            "p50_ms": round(statistics.median(load["p50_us"] for load in loads) / 1000, 2),
            "p99_ms": round(statistics.median(load["p99_us"] for load in loads) / 1000, 2),
            "cpu_ms_per_request": round(cpu["load"] * 1000 / max(1, requests), 2),
            "rounds": loads,
        },
    }


def met(server: dict) -> bool:
    one, load = server["one_at_a_time"], server["load"]
    return (
        one["p50_ms"] < TARGET["p50_ms"]
        and one["p95_ms"] < TARGET["p95_ms"]
        and load["rps"] >= TARGET["rps"]
        and load["errors"] == 0
    )


def print_table(results: dict) -> None:
    print(
        f"\n{results['meta']['date']}  load average at start {results['meta']['loadavg_at_start']}"
    )
    print(
        f"{'code':<20}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'req/s':>8}{'errors':>8}"
        f"{'CPU ms/req':>12}  target"
    )
    for name, server in results["servers"].items():
        one, load = server["one_at_a_time"], server["load"]
        print(
            f"{name:<20}{one['p50_ms']:>8.2f}{one['p95_ms']:>8.2f}{one['p99_ms']:>8.2f}"
            f"{load['rps']:>8.0f}{load['errors']:>8}"
            f"{one['cpu_ms_per_request']:>6.2f}/{load['cpu_ms_per_request']:<5.2f}"
            f"  {'met' if met(server) else 'missed'}"
        )


def record(results: dict) -> Path:
    path = provenance.new_result_path("search-uncached", results["meta"]["date"])
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    text = README.read_text()
    if TABLE_END not in text:
        print(f"bench/README.md has no '{TABLE_END}' marker", file=sys.stderr)
        return path
    meta = results["meta"]
    lines = []
    for name, server in results["servers"].items():
        one, load = server["one_at_a_time"], server["load"]
        lines.append(
            f"| {meta['date']} | {meta['commit']} | {' '.join(meta['loadavg_at_start'])} | "
            f"{name} | {one['p50_ms']} / {one['p95_ms']} / {one['p99_ms']} | "
            f"{load['rps']:.0f} | {load['p50_ms']} / {load['p99_ms']} | {load['errors']} | "
            f"{one['cpu_ms_per_request']} / {load['cpu_ms_per_request']} | "
            f"{'yes' if met(server) else 'no'} | `results/{path.name}` |"
        )
    README.write_text(text.replace(TABLE_END, "\n".join(lines) + "\n" + TABLE_END, 1))
    return path


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
    sys.exit(130)
