"""The topology's clean-up (deploy-check's step 5): it says what still runs,
and after `close` nothing of ours does and the temporary folder is gone."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "deploy"))

from topology import Stack  # noqa: E402 - deploy/ is a folder of scripts, not a package

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]
# A process that leaves our group for a session of its own, as pg_ctl's postmaster does.
DAEMON = [
    sys.executable,
    "-c",
    "import os, sys, time\n"
    "if os.fork(): sys.exit(0)\n"
    "os.setsid(); print(os.getpid(), flush=True); time.sleep(60)",
]


def test_it_names_the_processes_of_its_groups_that_still_run():
    with Stack(prefix="sommaire-test-topology-") as stack:
        worker = stack.start("worker", SLEEPER)

        assert pids(stack.leftovers(wait=0)) == [worker.pid]


def test_after_close_nothing_runs_and_the_folder_is_gone():
    with Stack(prefix="sommaire-test-topology-") as stack:
        stack.start("worker", SLEEPER)
        stack.start("other", SLEEPER)
        stack.kill("other")

        stack.close()

    assert stack.leftovers() == []
    assert not stack.root.exists()


def test_a_group_adopted_from_outside_counts_and_is_not_stopped_by_close():
    with Stack(prefix="sommaire-test-topology-") as stack:
        with subprocess.Popen(DAEMON, stdout=subprocess.PIPE, text=True) as starter:
            daemon = int(starter.stdout.readline())
        stack.pgids.add(daemon)
        try:
            stack.close()
            assert pids(stack.leftovers(wait=0)) == [daemon]
        finally:
            os.kill(daemon, signal.SIGKILL)
        assert stack.leftovers() == []


def pids(leftovers: list[str]) -> list[int]:
    return [int(line.split()[0]) for line in leftovers]
