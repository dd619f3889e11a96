import asyncio
import ipaddress

import pytest

from sommaire.fetch.client import FetchConfig, Fetcher
from tests.fetch.hostile import HostileServer, client_context, make_certificates, server_context

LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"),)


@pytest.fixture(scope="session")
def hostile_server():
    server = HostileServer().start()
    yield server
    server.stop()


@pytest.fixture
def hostile(hostile_server):
    """The hostile server, with its counters at zero."""
    hostile_server.reset_counts()
    return hostile_server


def quick_config(**overrides) -> FetchConfig:
    """Short limits so a hostile behaviour costs the suite a second, not twenty."""
    values = dict(
        user_agent="Sommaire-tests/1 (+http://127.0.0.1/)",
        total_timeout=2.0,
        connect_timeout=1.0,
        read_timeout=1.0,
        max_bytes=256 * 1024,
        min_interval=0.0,
        allowed_networks=LOOPBACK,
        backoff=0.01,
        retry_after_cap=0.05,
    )
    values.update(overrides)
    return FetchConfig(**values)


def fetch(url: str, method: str = "GET", *, config=None, ssl_context=None, lookup=None, **kw):
    """Fetch one URL with a fresh Fetcher, from synchronous test code."""

    async def run():
        async with Fetcher(config or quick_config(), ssl_context=ssl_context, lookup=lookup) as f:
            return await f.fetch(url, method, **kw)

    return asyncio.run(run())


def head_then_get(url: str, *, config=None, **kw):
    async def run():
        async with Fetcher(config or quick_config()) as f:
            return await f.head_then_get(url, **kw)

    return asyncio.run(run())


@pytest.fixture(scope="session")
def certificates(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def tls_servers(certificates):
    """One HTTPS server per certificate: valid, expired, wrong-host, self-signed."""
    servers = {
        label: HostileServer(ssl_context=server_context(certificates[label])).start()
        for label in ("valid", "expired", "wrong-host", "self-signed")
    }
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def trusting_test_ca(certificates):
    return client_context(certificates["ca"])
