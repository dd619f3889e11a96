"""make deploy-check's own judges: which process and which job fetched each
address from the slow link servers, and which fetches were in flight at once.

Step 3 ("nothing runs twice at once") rests on them: a watch run and a link
check may fetch one page at the same moment, one link check may not.
"""

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHECK = Path(__file__).resolve().parents[2] / "deploy" / "check.py"
spec = importlib.util.spec_from_file_location("deploy_check", CHECK)
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)

linux = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads /proc/net/tcp")


def fetch(address, start, end, pid=1, job=None):
    return {"address": address, "pid": pid, "start": start, "end": end, "job": job}


def test_two_fetches_of_one_address_at_once_make_a_pair():
    a, b = fetch("h/x", 0.0, 1.0), fetch("h/x", 0.5, 1.5)
    assert list(check.simultaneous([b, a])) == [(a, b)]


def test_fetches_one_after_the_other_or_of_other_addresses_do_not():
    fetches = [fetch("h/x", 0.0, 1.0), fetch("h/x", 1.0, 2.0), fetch("h/y", 0.5, 1.5)]
    assert list(check.simultaneous(fetches)) == []


def test_a_fetch_still_in_flight_overlaps_every_later_one():
    a, b = fetch("h/x", 0.0, None), fetch("h/x", 60.0, 61.0)
    assert list(check.simultaneous([a, b])) == [(a, b)]


def test_a_fetch_belongs_to_the_run_its_process_had_under_way():
    runs = [("watch", 10, 0.0, 5.0), ("check-links", 10, 5.5, None), ("watch", 11, 0.0, 9.0)]
    assert check.job_of(fetch("h/x", 1.0, 1.3, pid=10), runs) == "watch"
    assert check.job_of(fetch("h/x", 6.0, 6.3, pid=10), runs) == "check-links"
    assert check.job_of(fetch("h/x", 6.0, 6.3, pid=11), runs) == "watch"


def test_a_fetch_by_no_known_run_belongs_to_no_job():
    runs = [("watch", 10, 0.0, 5.0)]
    assert check.job_of(fetch("h/x", 5.2, 5.5, pid=10), runs) is None
    assert check.job_of(fetch("h/x", 1.0, 1.3, pid=12), runs) is None


@linux
def test_a_loopback_connection_is_traced_to_the_process_that_opened_it():
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = subprocess.Popen(
            [sys.executable, "-c", CONNECT, str(server.getsockname()[1])],
            stdout=subprocess.PIPE,
        )
        try:
            accepted, peer = server.accept()
            with accepted:
                assert check.client_pid(peer, server.getsockname()) == client.pid
                accepted.sendall(b"done")
        finally:
            client.wait(timeout=10)


CONNECT = """
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1]))) as sock:
    sock.recv(4)
"""


@linux
def test_the_link_servers_list_each_request_once_with_its_pid():
    addresses = [f"{host}:{check.free_port(host)}" for host in ("127.0.0.2", "127.0.0.3")]
    server = subprocess.Popen([sys.executable, str(CHECK), "--serve-links", *addresses])
    try:
        listing = wait_for_listing(addresses[0])
        assert listing == []
        for address in addresses:
            with urllib.request.urlopen(f"http://{address}/esante.gouv.fr/segur", timeout=10):
                pass
        listing = wait_for_listing(addresses[1])
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert [f["address"] for f in listing] == [f"{a}/esante.gouv.fr/segur" for a in addresses]
    assert {f["pid"] for f in listing} == {os.getpid()}
    assert all(f["end"] - f["start"] >= check.LINK_DELAY_SECONDS for f in listing)


def wait_for_listing(address: str) -> list[dict]:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://{address}/__requests", timeout=5) as response:
                return json.load(response)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
