"""The uncached search page in process: CPU per request, and where it goes.

Usage: .venv/bin/python bench/profile_search_page.py [--requests 600] [--profile 40]
       [--baseline DIR]

Steps:
1. A fresh SQLite database in a temporary directory: `migrate`,
   `collectstatic`, `load-pack content/segur` (as bench_search_uncached.py).
2. In a child process per code (this tree, and with --baseline DIR the `src`
   of a copy of the tree before a change, on PYTHONPATH): 400 warm-up
   requests, then --requests distinct two-word queries of the pack (the
   pool of bench_search_uncached.py) through Django's WSGI handler, with
   every middleware and no socket; the process CPU time per request.
3. With --profile N, another --requests queries under cProfile, and the N
   functions of most own time, then of most cumulative time.

No file is written: the figures go to the terminal, to be quoted in
bench/README.md beside a bench_search_uncached.py run.
"""

import argparse
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path.insert(0, str(PROJECT_DIR / "deploy"))

from topology import LOOPBACK, Stack, application_env  # noqa: E402
from topology import sommaire as run_sommaire  # noqa: E402

WORKER = """
import cProfile, io, pstats, sys, time
from pathlib import Path
sys.path.insert(1, {bench!r})
from bench_search_uncached import query_pool
from sommaire.wsgi import application
import sommaire

pool = query_pool(Path({pack!r}), seed=2026)

def call(query):
    environ = {{"REQUEST_METHOD": "GET", "PATH_INFO": "/recherche/", "QUERY_STRING": "q=" + query,
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
               "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http"}}
    status = []
    body = application(environ, lambda s, headers, exc=None: status.append(s))
    b"".join(body)
    body.close()
    assert status[0].startswith("200"), status

for query in pool[-400:]:
    call(query)
started = time.process_time()
for query in pool[:{requests}]:
    call(query)
cpu = (time.process_time() - started) / {requests} * 1000
print(f"{{sommaire.__file__.rsplit('/sommaire/', 1)[0]}}: {{cpu:.2f}} ms CPU per request")
if {profile}:
    profile = cProfile.Profile()
    profile.enable()
    for query in pool[{requests}:2 * {requests}]:
        call(query)
    profile.disable()
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats({profile})
    stats.sort_stats("cumulative").print_stats({profile})
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--profile", type=int, default=0, help="functions to list (0: none)")
    parser.add_argument("--baseline", type=Path, help="src folder of the code before a change")
    parser.add_argument("--pack", type=Path, default=PROJECT_DIR / "content" / "segur")
    args = parser.parse_args(argv)
    with Stack(prefix="sommaire-profile-search-") as stack:
        env = application_env(stack, "", f"http://{LOOPBACK}", SOMMAIRE_HTTPS="false")
        for command in (("migrate", "-v", "0"), ("collectstatic", "--no-input", "-v", "0")):
            run_sommaire(env, *command)
        run_sommaire(env, "load-pack", str(args.pack))
        script = WORKER.format(
            bench=str(BENCH_DIR), pack=str(args.pack), requests=args.requests, profile=args.profile
        )
        for src in ([args.baseline.resolve()] if args.baseline else []) + [PROJECT_DIR / "src"]:
            child_env = {**env, "PYTHONPATH": str(src)}
            subprocess.run([sys.executable, "-c", script], env=child_env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
