"""The address guard: no URL, spelling or redirect reaches an internal address."""

import ipaddress
import socket

import pytest
from yarl import URL

from sommaire.fetch.client import BLOCKED, FetchConfig
from sommaire.fetch.guard import AddressGuard, Blocked, parse_ip
from tests.fetch.conftest import fetch, quick_config

NO_EXCEPTION = quick_config(allowed_networks=())


@pytest.mark.parametrize(
    "host, address",
    [
        ("127.0.0.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0177.0.0.01", "127.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("%31%32%37.0.0.1", "127.0.0.1"),
        ("::ffff:7f00:1", "::ffff:7f00:1"),
        ("[::1]", "::1"),
        ("esante.gouv.fr", None),
        ("0x7f.example", None),
    ],
)
def test_it_reads_every_spelling_of_an_address_as_a_browser_does(host, address):
    parsed = parse_ip(host)

    assert (str(parsed) if parsed else None) == address


@pytest.mark.parametrize("host", ["256.0.0.1", "1.2.3.4.5", "0x100000000", "1.2.3.09"])
def test_a_host_that_ends_in_a_number_but_is_no_address_is_refused(host):
    with pytest.raises(Blocked, match="mal formée"):
        parse_ip(host)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "2002:7f00:1::",
        "2002:a9fe:a9fe::1",
        "64:ff9b::a9fe:a9fe",
        "::127.0.0.1",
    ],
)
def test_it_refuses_internal_and_reserved_addresses(address):
    with pytest.raises(Blocked):
        AddressGuard().check(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["193.51.24.1", "2001:4860:4860::8888", "2002:c133:1801::"])
def test_it_lets_public_addresses_through(address):
    AddressGuard().check(ipaddress.ip_address(address))


def test_an_allowed_network_opens_loopback_but_never_link_local():
    guard = AddressGuard([ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0")])

    guard.check(ipaddress.ip_address("127.0.0.1"))
    for address in ("169.254.169.254", "fe80::1", "::ffff:169.254.169.254"):
        with pytest.raises(Blocked, match="réservée"):
            guard.check(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "url, reason",
    [
        ("file:///etc/passwd", "protocole refusé"),
        ("ftp://esante.gouv.fr/doc.pdf", "protocole refusé"),
        ("gopher://127.0.0.1:70/", "protocole refusé"),
        ("http://user:secret@esante.gouv.fr/", "identifiants"),
        ("http://esante.gouv.fr@127.0.0.1/", "identifiants"),
    ],
)
def test_it_refuses_other_schemes_and_credentials(url, reason):
    with pytest.raises(Blocked, match=reason):
        AddressGuard().check_url(URL(url))


def test_an_odd_spelling_allowed_by_a_network_is_requested_in_canonical_form():
    guard = AddressGuard([ipaddress.ip_network("127.0.0.0/8")])

    assert str(guard.check_url(URL("http://0x7f.1:8080/doc"))) == "http://127.0.0.1:8080/doc"


# --- through the fetcher, against a real local server --------------------------


@pytest.mark.parametrize(
    "spelling",
    ["127.0.0.1", "2130706433", "0x7f.1", "127.1", "0177.0.0.1", "[::ffff:127.0.0.1]"],
)
def test_no_spelling_of_127_0_0_1_reaches_the_local_server(hostile, spelling):
    result = fetch(f"http://{spelling}:{hostile.port}/ok", config=NO_EXCEPTION)

    assert result.error == BLOCKED
    assert result.status is None
    assert hostile.count("/ok") == 0


def test_a_name_resolving_to_loopback_is_refused_on_the_address_dialled(hostile):
    result = fetch(f"http://localhost:{hostile.port}/ok", config=NO_EXCEPTION)

    assert result.error == BLOCKED
    assert "127.0.0.1" in result.error_detail or "::1" in result.error_detail
    assert hostile.count("/ok") == 0


def test_userinfo_and_backslash_tricks_are_refused(hostile):
    tricks = [
        f"http://esante.gouv.fr@127.0.0.1:{hostile.port}/ok",
        f"http://127.0.0.1:{hostile.port}\\@esante.gouv.fr/ok",
        f"http://esante.gouv.fr\\@127.0.0.1:{hostile.port}/ok",
    ]
    for url in tricks:
        result = fetch(url)
        assert result.error in (BLOCKED, "invalid_url"), url
    assert hostile.count("/ok") == 0


@pytest.mark.parametrize(
    "path, reason",
    [
        ("/redirect/metadata", "169.254.169.254"),
        ("/redirect/private", "10.0.0.1"),
        ("/redirect/file", "protocole refusé (file:)"),
    ],
)
def test_every_redirect_hop_is_checked_again(hostile, path, reason):
    result = fetch(hostile.url(path))

    assert result.error == BLOCKED
    assert reason in result.error_detail
    assert [r.status for r in result.redirects] == [302]


def test_a_redirect_to_loopback_is_refused_when_only_the_first_address_is_allowed(hostile):
    only_first = quick_config(allowed_networks=(ipaddress.ip_network("127.0.0.1/32"),))

    result = fetch(hostile.url("/redirect/loopback-v6"), config=only_first)

    assert result.error == BLOCKED
    assert hostile.count("/ok") == 0


def test_a_name_that_answers_differently_the_second_time_cannot_rebind(hostile):
    """The check and the connection use the same answer, on every hop."""
    answers = iter(["127.0.0.1", "127.0.0.2"])

    async def rebinding_lookup(host, port, **kwargs):
        address = next(answers)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    config = quick_config(allowed_networks=(ipaddress.ip_network("127.0.0.1/32"),), dns_cache=False)
    result = fetch(
        f"http://rebind.test:{hostile.port}/redirect/same-host-name",
        config=config,
        lookup=rebinding_lookup,
    )

    assert hostile.count("/redirect/same-host-name") == 1
    assert result.error == BLOCKED
    assert "127.0.0.2" in result.error_detail
    assert hostile.count("/ok") == 0


def test_the_allowed_networks_come_from_the_settings(settings):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]

    config = FetchConfig.from_settings()

    assert [str(n) for n in config.allowed_networks] == ["127.0.0.0/8", "::1/128"]


def test_the_guard_is_closed_by_default(settings):
    assert FetchConfig.from_settings().allowed_networks == ()
