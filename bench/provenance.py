"""Where a benchmark result comes from: the commit, the machine, the file it goes to.

Shared by the bench scripts that record JSON results under bench/results/.
"""

import datetime
import os
import platform
import subprocess
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=PROJECT_DIR, capture_output=True, text=True)
    return done.stdout.strip()


def commit(*, work_tree: bool = True) -> str:
    """The short HEAD, with " + work tree" when `work_tree` and the checkout has changes."""
    label = _git("rev-parse", "--short", "HEAD")
    if work_tree and _git("status", "--porcelain"):
        label += " + work tree"
    return label


def machine() -> dict:
    return {
        "nproc": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def new_result_path(name: str, today: str) -> Path:
    """results/<name>-<today>.json; a second run that day gets the time too, never overwriting."""
    path = BENCH_DIR / "results" / f"{name}-{today}.json"
    path.parent.mkdir(exist_ok=True)
    if path.exists():
        path = path.with_stem(f"{path.stem}-{datetime.datetime.now():%H%M%S}")
    return path
