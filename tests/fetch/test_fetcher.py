"""The fetcher against a hostile local server: limits, redirects, retries, politeness, TLS."""

import asyncio
import contextlib
import socket
import time
import tracemalloc

from sommaire.fetch import client
from sommaire.fetch.client import (
    CONNECT_TIMEOUT,
    DNS,
    REDIRECT_LOOP,
    REFUSED,
    TIMEOUT,
    TLS,
    TOO_MANY_REDIRECTS,
    FetchConfig,
    Fetcher,
    Validators,
)
from tests.fetch.conftest import LOOPBACK, fetch, head_then_get, quick_config
from tests.fetch.hostile import ETAG, PDF


def test_it_reads_a_document_with_its_type_size_and_validators(hostile):
    result = fetch(hostile.url("/doc.pdf"))

    assert result.status == 200
    assert result.error is None
    assert result.content_type == "application/pdf"
    assert result.body == PDF
    assert result.size == len(PDF)
    assert result.validators == Validators(etag=ETAG, last_modified="Tue, 24 Nov 2026 08:00:00 GMT")


def test_it_names_sommaire_and_a_contact_in_its_user_agent(hostile):
    fetch(hostile.url("/ok"), config=quick_config(user_agent="Sommaire/0.1 (+https://x.fr/)"))

    assert "Sommaire/0.1 (+https://x.fr/)" in hostile.user_agents


def test_the_user_agent_of_this_deployment_goes_out_in_ascii(hostile, settings):
    fetch(hostile.url("/ok"), config=FetchConfig.from_settings(allowed_networks=LOOPBACK))

    assert f"Sommaire/0.1 (+{settings.SITE_URL}/)" in hostile.user_agents
    assert all(agent.isascii() for agent in hostile.user_agents)


def test_a_configured_user_agent_with_accents_goes_out_in_ascii(hostile):
    agent = "Sommaire/0.1 (vérificateur de liens, équipe ANS; +https://x.fr/)"

    fetch(hostile.url("/ok"), config=quick_config(user_agent=agent))

    assert "Sommaire/0.1 (verificateur de liens, equipe ANS; +https://x.fr/)" in hostile.user_agents
    assert all(agent.isascii() for agent in hostile.user_agents)


def test_a_conditional_request_gets_not_modified(hostile):
    result = fetch(hostile.url("/doc.pdf"), "HEAD", conditional=Validators(etag=ETAG))

    assert result.status == 304
    assert result.not_modified
    assert hostile.conditional == ["/doc.pdf"]


def test_it_follows_redirects_itself_and_knows_when_they_are_permanent(hostile):
    permanent = fetch(hostile.url("/redirect/permanent-twice"))
    temporary = fetch(hostile.url("/redirect/temporary"))

    assert permanent.status == 200
    assert permanent.final_url == hostile.url("/doc.pdf")
    assert [r.status for r in permanent.redirects] == [308, 301]
    assert permanent.permanent
    assert temporary.final_url == hostile.url("/ok")
    assert not temporary.permanent


def test_a_redirect_loop_is_detected(hostile):
    result = fetch(hostile.url("/redirect/loop-a"))

    assert result.error == REDIRECT_LOOP
    assert hostile.count("/redirect/loop-a") == 1
    assert hostile.count("/redirect/loop-b") == 1


def test_ten_redirects_are_followed_and_the_eleventh_is_refused(hostile):
    assert fetch(hostile.url("/redirect/chain/10")).status == 200

    result = fetch(hostile.url("/redirect/chain/11"))

    assert result.error == TOO_MANY_REDIRECTS
    assert hostile.count("/ok") == 0


def test_a_server_that_never_answers_hits_the_deadline(hostile):
    result = fetch(hostile.url("/slow-headers"), config=quick_config(read_timeout=5))

    assert result.error == TIMEOUT
    assert result.status is None


def test_a_body_dribbled_byte_by_byte_hits_the_wall_clock_deadline(hostile):
    """Each byte comes before the read timeout; only the total deadline stops it."""
    result = fetch(hostile.url("/slow-body.pdf"), config=quick_config(total_timeout=1))

    assert result.error == TIMEOUT


def test_waiting_for_a_turn_at_a_polite_host_does_not_count_against_the_deadline(hostile):
    """16 requests, 4 at once then one every 0.2 s: the last starts 2.4 s in, past the 2 s
    deadline."""

    async def many():
        async with Fetcher(quick_config(total_timeout=2, min_interval=0.2)) as fetcher:
            urls = [hostile.url(f"/doc.pdf?n={n}") for n in range(16)]
            return await asyncio.gather(*(fetcher.fetch(url) for url in urls))

    results = asyncio.run(many())

    assert [(r.status, r.error) for r in results] == [(200, None)] * 16


def test_an_endless_body_stops_at_the_cap(hostile):
    result = fetch(hostile.url("/endless.bin"), max_bytes=100_000)

    assert result.status == 200
    assert result.truncated
    assert len(result.body) == 100_000


def test_a_compression_bomb_costs_a_few_megabytes_at_most(hostile):
    """4 GiB of zeros once decoded; the cap counts decoded bytes while decoding."""

    async def measured():
        async with Fetcher(quick_config(max_bytes=1024 * 1024)) as fetcher:
            tracemalloc.start()
            try:
                result = await fetcher.fetch(hostile.url("/bomb.pdf"))
                return result, tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

    result, peak = asyncio.run(measured())

    assert result.truncated
    assert len(result.body) == 1024 * 1024
    assert set(result.body) == {0}
    assert peak < 6 * 1024 * 1024


def test_head_then_get_falls_back_to_get_when_head_is_refused(hostile):
    result = head_then_get(hostile.url("/head-refused.pdf"))

    assert (result.method, result.status) == ("GET", 200)
    assert hostile.count("/head-refused.pdf", "HEAD") == 1
    assert hostile.count("/head-refused.pdf", "GET") == 1


def test_head_then_get_does_not_believe_a_head_without_content_type(hostile):
    result = head_then_get(hostile.url("/lying-head.pdf"))

    assert (result.method, result.status) == ("GET", 404)


def test_head_then_get_stops_at_head_when_it_is_enough(hostile):
    result = head_then_get(hostile.url("/doc.pdf"))

    assert (result.method, result.status, result.size) == ("HEAD", 200, len(PDF))
    assert hostile.count("/doc.pdf", "GET") == 0


def test_a_busy_server_is_retried_and_then_answers(hostile):
    result = fetch(hostile.url("/busy-then-ok.pdf"))

    assert result.status == 200
    assert result.attempts == 2


def test_a_server_that_stays_busy_is_retried_a_bounded_number_of_times(hostile):
    result = fetch(hostile.url("/busy"), config=quick_config(retries=2))
    limited = fetch(hostile.url("/rate-limited"), config=quick_config(retries=1))

    assert result.status == 503
    assert hostile.count("/busy") == 3
    assert limited.status == 429
    assert hostile.count("/rate-limited") == 2


def test_a_server_error_other_than_503_is_not_retried(hostile):
    result = fetch(hostile.url("/server-error"))

    assert result.status == 500
    assert hostile.count("/server-error") == 1


def test_a_reset_connection_is_retried_then_reported(hostile):
    result = fetch(hostile.url("/reset"), config=quick_config(retries=2))

    assert result.error == "reset"
    assert hostile.count("/reset") == 3


def test_retry_after_is_honoured_up_to_a_cap(hostile):
    fetcher = Fetcher(quick_config(retry_after_cap=7))
    waits = []
    for header in ("3", "3600"):
        result = fetch(hostile.url("/busy"), config=quick_config(retries=0))
        result.headers = {"Retry-After": header}
        waits.append(fetcher._delay(result, 1))

    assert waits == [3, 7]


def test_a_refused_connection_and_an_unknown_name_are_network_level(hostile):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    refused = fetch(f"http://127.0.0.1:{port}/")

    async def no_such_name(host, port, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    unknown = fetch("http://nowhere.test/", lookup=no_such_name)

    assert (refused.error, refused.network_level) == (REFUSED, True)
    assert (unknown.error, unknown.network_level) == (DNS, True)
    assert CONNECT_TIMEOUT != TIMEOUT


def test_the_server_never_sees_more_than_the_per_host_limit(hostile):
    async def many():
        async with Fetcher(quick_config(per_host=3)) as fetcher:
            urls = [hostile.url(f"/counted.pdf?n={n}") for n in range(24)]
            return await asyncio.gather(*(fetcher.fetch(u) for u in urls))

    results = asyncio.run(many())

    assert all(r.status == 200 for r in results)
    assert hostile.count("/counted.pdf") == 24
    assert hostile.max_in_flight["/counted.pdf"] == 3


def test_one_address_is_never_asked_twice_at_the_same_moment(hostile):
    """Two callers, or two links redirected to one document: the second request
    waits for the first exchange to end, as a retry waits for its attempt."""

    async def together():
        async with Fetcher(quick_config(per_host=4)) as fetcher:
            urls = [hostile.url("/counted.pdf")] * 3 + [
                hostile.url("/redirect/to-counted-a"),
                hostile.url("/redirect/to-counted-b"),
            ]
            results = await asyncio.gather(*(fetcher.fetch(url) for url in urls))
            return results, fetcher._busy

    results, still_held = asyncio.run(together())

    assert [r.status for r in results] == [200] * 5
    assert hostile.count("/counted.pdf") == 5
    assert hostile.max_in_flight["/counted.pdf"] == 1
    assert still_held == {}


def test_a_fetch_cancelled_while_waiting_for_its_address_leaves_it_free(hostile):
    async def cancelled_wait():
        async with Fetcher(quick_config()) as fetcher:
            url = hostile.url("/counted.pdf")
            first = asyncio.create_task(fetcher.fetch(url))
            while url not in fetcher._busy:
                await asyncio.sleep(0)
            second = asyncio.create_task(fetcher.fetch(url))
            await asyncio.sleep(0)  # the second runs to its wait for the address
            second.cancel()
            await asyncio.gather(first, second, return_exceptions=True)
            third = await fetcher.fetch(url)
            return first.result(), third, second.cancelled(), fetcher._busy

    first, third, cancelled, still_held = asyncio.run(cancelled_wait())

    assert (first.status, third.status, cancelled) == (200, 200, True)
    assert still_held == {}
    assert hostile.count("/counted.pdf") == 2


def test_a_request_that_timed_out_is_never_sent_again(hostile):
    """The server may still be working on it: neither a retry nor a GET after
    HEAD goes out for an address whose request ran out of time."""
    config = quick_config(total_timeout=0.5)

    fetched = fetch(hostile.url("/slow-headers"), config=config)
    headed = head_then_get(hostile.url("/slow-headers"), config=config)

    assert (fetched.error, fetched.attempts, headed.error, headed.method) == (
        TIMEOUT,
        1,
        TIMEOUT,
        "HEAD",
    )
    assert hostile.count("/slow-headers", "GET") == 1
    assert hostile.count("/slow-headers", "HEAD") == 1


def test_by_default_a_host_gets_four_requests_at_once_and_forty_starts_a_second_at_most():
    """Four in flight is what spares a host; 25 ms between starts only keeps the
    four from opening at the same instant. 100 ms made every host a queue."""
    shipped = FetchConfig.from_settings()

    assert (shipped.per_host, shipped.min_interval) == (4, 0.025)
    assert (FetchConfig().per_host, FetchConfig().min_interval) == (4, 0.025)


def test_a_host_gets_a_burst_of_per_host_starts_then_one_start_per_interval(monkeypatch):
    """On a clock that stands still, the waits the gate asks for are the schedule."""
    waits = []

    async def sleep(seconds):
        waits.append(round(seconds, 3))

    monkeypatch.setattr(client.time, "monotonic", lambda: 1000.0)
    monkeypatch.setattr(client.asyncio, "sleep", sleep)

    async def starts(count):
        gate = client._HostGate(per_host=4, interval=0.025)
        for _ in range(count):
            async with gate:
                pass

    asyncio.run(starts(8))

    assert waits == [0.025, 0.05, 0.075, 0.1]  # the first four started at once


def test_a_host_is_asked_at_most_one_start_per_interval_over_a_run(hostile):
    """Checked on the order of starts, not on the clock: the gate hands out start times."""

    async def many():
        async with Fetcher(quick_config(per_host=4, min_interval=0.025)) as fetcher:
            gate = fetcher._gate("127.0.0.1")
            before = time.monotonic()
            await asyncio.gather(*(fetcher.fetch(hostile.url("/ok")) for _ in range(8)))
            return gate, before

    gate, before = asyncio.run(many())

    assert hostile.count("/ok") == 8
    assert gate.next_start >= before + 8 * 0.025


def test_a_fetch_cancelled_while_waiting_for_its_start_gives_its_place_back(hostile):
    """Otherwise each cancelled wait takes one of the host's slots for good, and
    after `per_host` of them every fetch to that host waits forever."""

    async def cancelled_wait():
        async with Fetcher(quick_config(per_host=1, min_interval=60)) as fetcher:
            await fetcher.fetch(hostile.url("/ok"))  # the host's next start is a minute away
            gate = fetcher._gate("127.0.0.1")
            waiting = asyncio.create_task(fetcher.fetch(hostile.url("/ok")))
            while not gate.slots.locked():
                await asyncio.sleep(0)
            waiting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await waiting
            return gate.slots.locked()

    assert asyncio.run(cancelled_wait()) is False
    assert hostile.count("/ok") == 1


# --- TLS: reported, never silenced -----------------------------------------------


def test_a_valid_certificate_from_a_trusted_authority_is_accepted(tls_servers, trusting_test_ca):
    result = fetch(tls_servers["valid"].url("/doc.pdf"), ssl_context=trusting_test_ca)

    assert (result.status, result.error) == (200, None)


def test_certificate_problems_are_reported_as_tls_errors(tls_servers, trusting_test_ca):
    expected = {
        "expired": "expired",
        "wrong-host": "mismatch",
        "self-signed": "self-signed",
    }
    for label, words in expected.items():
        result = fetch(tls_servers[label].url("/doc.pdf"), ssl_context=trusting_test_ca)
        assert result.error == TLS, label
        assert words in result.error_detail.lower(), result.error_detail
        assert tls_servers[label].count("/doc.pdf") == 0


def test_an_unknown_authority_is_refused_with_the_default_trust_store(tls_servers):
    result = fetch(tls_servers["valid"].url("/doc.pdf"))

    assert result.error == TLS
    assert "local issuer" in result.error_detail
