"""The one outbound HTTP client of Sommaire (aiohttp, async).

Public API, for the link checker, the watcher and the document extractor:

    async with Fetcher() as fetcher:
        result = await fetcher.fetch(url, method="GET", conditional=Validators(etag=...))
        result = await fetcher.head_then_get(url, needs_get=lambda head: ...)

A fetch never raises for a network or HTTP problem: the FetchResult says what
happened (`status`, `error`, `error_detail`). Every fetch goes through:

- the address guard (`guard.py`) on the URL and on the address dialled, again
  on each redirect hop; redirects are followed here, never by aiohttp;
- a wall-clock deadline per attempt, running while a server is being talked
  to, not while the request waits for its per-host turn (connect and per-read
  timeouts besides);
- a cap on decoded body bytes, counted while decoding in bounded steps, so a
  gzip bomb stops at the cap;
- politeness: per-host concurrency and rate of request starts (a burst of
  per-host starts, then one per interval), a global concurrency limit, one
  exchange at a time per address, retries with exponential backoff and
  jitter on 429, 503 and connection resets (never on a timeout: the server
  may still hold the request), honouring Retry-After up to a cap.

Configuration comes from Django settings through `FetchConfig.from_settings()`
only, so the client stays usable from any app or script.
"""

import asyncio
import email.utils
import errno
import random
import ssl
import time
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from sommaire.fetch.guard import AddressGuard, Blocked, GuardedResolver, Lookup, parse_networks

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
PERMANENT_REDIRECTS = {301, 308}
RETRY_STATUSES = {429, 503}

# Error kinds of a FetchResult, one word each.
BLOCKED = "blocked"
DNS = "dns"
REFUSED = "refused"
CONNECT_TIMEOUT = "connect_timeout"
TIMEOUT = "timeout"
RESET = "reset"
TLS = "tls"
REDIRECT_LOOP = "redirect_loop"
TOO_MANY_REDIRECTS = "too_many_redirects"
INVALID_URL = "invalid_url"
PROTOCOL = "protocol"
NETWORK_LEVEL = {DNS, REFUSED, CONNECT_TIMEOUT}


@dataclass(frozen=True)
class FetchConfig:
    """Every limit of the client; `from_settings` reads them from Django settings."""

    user_agent: str = "Sommaire/0.1"
    total_timeout: float = 20.0
    connect_timeout: float = 10.0
    read_timeout: float = 15.0
    max_bytes: int = 10 * 1024 * 1024
    per_host: int = 4
    concurrency: int = 200
    min_interval: float = 0.025
    allowed_networks: tuple = ()
    max_redirects: int = 10
    retries: int = 2
    backoff: float = 0.5
    retry_after_cap: float = 30.0
    dns_cache: bool = True

    def __post_init__(self):
        # Every fetch sends this header: it must be what strict servers take.
        object.__setattr__(self, "user_agent", ascii_header(self.user_agent))

    @classmethod
    def from_settings(cls, **overrides: Any) -> "FetchConfig":
        """The configuration of this deployment, with some values overridden."""
        from django.conf import settings

        config = cls(
            user_agent=settings.FETCH_USER_AGENT,
            total_timeout=float(settings.FETCH_TIMEOUT),
            connect_timeout=float(settings.FETCH_CONNECT_TIMEOUT),
            read_timeout=float(settings.FETCH_READ_TIMEOUT),
            max_bytes=settings.FETCH_MAX_BYTES,
            per_host=settings.FETCH_PER_HOST,
            concurrency=settings.FETCH_CONCURRENCY,
            min_interval=settings.FETCH_MIN_INTERVAL_MS / 1000,
            allowed_networks=parse_networks(settings.FETCH_ALLOWED_NETWORKS),
        )
        return replace(config, **overrides)


def ascii_header(value: str) -> str:
    """A header value in printable ASCII: accents dropped, anything else replaced.

    HTTP header values are ASCII in practice (RFC 9110 leaves others
    opaque, and strict servers and firewalls refuse UTF-8 bytes there): an
    agent configured as "vérificateur" goes out as "verificateur".
    """
    decomposed = unicodedata.normalize("NFKD", value)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if " " <= c <= "~" else "?" for c in kept).strip()


@dataclass(frozen=True)
class Validators:
    """What a previous answer said about its version, for a conditional request."""

    etag: str = ""
    last_modified: str = ""

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Redirect:
    status: int
    location: str


@dataclass
class FetchResult:
    """What one fetch found; `error` is None when an HTTP answer came back."""

    url: str
    final_url: str
    method: str
    status: int | None = None
    redirects: list[Redirect] = field(default_factory=list)
    headers: CIMultiDictProxy | CIMultiDict = field(default_factory=CIMultiDict)
    body: bytes | None = None
    truncated: bool = False
    elapsed_ms: int = 0  # talking to servers, over all attempts; waiting our turn excluded
    error: str | None = None
    error_detail: str = ""
    attempts: int = 1
    exchange_s: float = field(default=0.0, repr=False)  # this attempt's, against the deadline

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    @property
    def size(self) -> int | None:
        """The size of the body: announced by the server, or counted when read whole."""
        if self.body is not None and not self.truncated and self.method != "HEAD":
            return len(self.body)
        raw = self.headers.get("Content-Length", "")
        return int(raw) if raw.isdigit() else None

    @property
    def permanent(self) -> bool:
        """Redirected, and every hop said the move is permanent."""
        return bool(self.redirects) and all(r.status in PERMANENT_REDIRECTS for r in self.redirects)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def network_level(self) -> bool:
        """Failed before any HTTP exchange: name resolution or connection."""
        return self.error in NETWORK_LEVEL

    @property
    def validators(self) -> Validators:
        return Validators(
            etag=self.headers.get("ETag", ""), last_modified=self.headers.get("Last-Modified", "")
        )

    def retryable(self) -> bool:
        return self.status in RETRY_STATUSES or self.error == RESET


class _HostGate:
    """At most `per_host` requests in flight to one host, and one start per
    `interval` on average: a token bucket of `per_host` starts, refilled one
    per interval (kept as the time the bucket is full again, `next_start`).

    The first `per_host` requests start together, as a browser opens its
    connections; then a start waits for its token. On a host slower than
    per_host / interval the concurrency binds and no request waits for a token;
    a fast host gets 1 / interval starts a second at most.
    """

    def __init__(self, per_host: int, interval: float):
        self.slots = asyncio.Semaphore(per_host)
        self.interval = interval
        self.burst = (per_host - 1) * interval
        self.next_start = 0.0

    async def __aenter__(self):
        await self.slots.acquire()
        if not self.interval:
            return
        now = time.monotonic()
        start = max(now, self.next_start - self.burst)
        self.next_start = max(self.next_start, start) + self.interval
        if start > now:
            try:
                await asyncio.sleep(start - now)
            except BaseException:
                # Cancelled while waiting for its start: `async with` will not
                # call __aexit__, and a slot kept here is lost to the host for good.
                self.slots.release()
                raise

    async def __aexit__(self, *exc):
        self.slots.release()


class _Turn:
    """One exchange at a time per address: a second request for an address being
    asked waits for the first to end (two callers, two links redirected to one
    document), as a retry waits for the attempt it repeats. `busy` maps each
    address being asked to what its waiters wait on; it empties as they end."""

    __slots__ = ("busy", "url")

    def __init__(self, busy: dict[str, asyncio.Event], url: str):
        self.busy, self.url = busy, url

    async def __aenter__(self):
        while (current := self.busy.get(self.url)) is not None:
            await current.wait()
        self.busy[self.url] = asyncio.Event()

    async def __aexit__(self, *exc):
        self.busy.pop(self.url).set()


class _Failure(Exception):
    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind, self.detail = kind, detail


class Fetcher:
    """An aiohttp session behind the guard and the limits; use it as `async with`."""

    def __init__(
        self,
        config: FetchConfig | None = None,
        *,
        ssl_context: ssl.SSLContext | None = None,
        lookup: Lookup | None = None,
    ):
        self.config = config or FetchConfig.from_settings()
        self.guard = AddressGuard(self.config.allowed_networks)
        # Tests pass a context trusting their own CA; verification is never off.
        # None: aiohttp's default verifying context, made once at its import
        # (a context of our own read the system's CA bundle again, 60 ms a run).
        self.ssl_context = ssl_context
        self._lookup = lookup
        self._gates: dict[str, _HostGate] = {}
        self._busy: dict[str, asyncio.Event] = {}
        self._session: aiohttp.ClientSession | None = None
        self._slots: asyncio.Semaphore | None = None

    async def __aenter__(self) -> "Fetcher":
        config = self.config
        connector = aiohttp.TCPConnector(
            resolver=GuardedResolver(self.guard, self._lookup),
            ssl=self.ssl_context if self.ssl_context is not None else True,
            limit=config.concurrency,
            limit_per_host=0,  # our per-host gates do it, with the interval
            use_dns_cache=config.dns_cache,
            ttl_dns_cache=60,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(
                total=None, sock_connect=config.connect_timeout, sock_read=config.read_timeout
            ),
            headers={"User-Agent": config.user_agent, "Accept-Encoding": "gzip, deflate"},
            # A proxy from the environment would dial on our behalf, past the guard.
            trust_env=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,  # see _decoder
        )
        # aiohttp resends an idempotent request once by itself when a connection
        # drops; retries are ours alone (counted, spaced), so turn that off.
        # A test pins it: a reset is sent exactly 1 + retries times.
        self._session._retry_connection = False
        self._slots = asyncio.Semaphore(config.concurrency)
        return self

    async def __aexit__(self, *exc) -> None:
        if self._session is not None:
            await self._session.close()
        self._session = None

    # --- public -------------------------------------------------------------

    async def fetch(
        self,
        url: str,
        method: str = "GET",
        *,
        conditional: Validators | None = None,
        read_body: bool | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """One URL, redirects followed, retried when the server asks to wait.

        The body is read for GET unless `read_body` is False, and kept up to
        `max_bytes` decoded bytes (the configured cap by default); past it
        the connection is closed and `truncated` is set.
        """
        if read_body is None:
            read_body = method != "HEAD"
        limit = min(max_bytes or self.config.max_bytes, self.config.max_bytes)
        headers = conditional.headers() if conditional else None
        attempt, elapsed = 0, 0.0
        while True:
            attempt += 1
            result = await self._attempt(url, method, headers, read_body, limit)
            result.attempts, elapsed = attempt, elapsed + result.exchange_s
            if not result.retryable() or attempt > self.config.retries:
                break
            await asyncio.sleep(self._delay(result, attempt))
        result.elapsed_ms = round(elapsed * 1000)
        return result

    async def head_then_get(
        self,
        url: str,
        *,
        conditional: Validators | None = None,
        needs_get: Callable[[FetchResult], bool] | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """HEAD first; GET when HEAD is refused, lies, or `needs_get(head)` says so.

        HEAD is taken as refused when it fails at the HTTP level (405, 404 on
        servers that only route GET, ...) and as lying when a 200 comes without
        a content type; a busy server (429, 503 after retries) gets no GET.
        """
        head = await self.fetch(url, "HEAD", conditional=conditional)
        if head.error and head.error not in (RESET, PROTOCOL):
            return head
        if head.status in RETRY_STATUSES:
            return head
        refused = head.error is not None or (head.status or 0) >= 400
        lies = head.status == 200 and not head.content_type
        if refused or lies or (needs_get is not None and needs_get(head)):
            get = await self.fetch(url, "GET", conditional=conditional, max_bytes=max_bytes)
            get.elapsed_ms += head.elapsed_ms
            return get
        return head

    # --- one attempt: the redirect chain under one deadline -------------------

    async def _attempt(self, url, method, headers, read_body, limit) -> FetchResult:
        result = FetchResult(url=url, final_url=url, method=method)
        try:
            await self._follow(result, headers, read_body, limit)
        except _Failure as failure:
            result.error, result.error_detail = failure.kind, failure.detail
        except Blocked as blocked:
            result.error, result.error_detail = BLOCKED, str(blocked)
        except Exception as exc:  # every network error becomes a result, never a crash
            result.error, result.error_detail = _classify(exc)
        return result

    async def _follow(self, result: FetchResult, headers, read_body: bool, limit: int) -> None:
        try:
            current = URL(result.url).with_fragment(None)
        except ValueError as exc:
            raise _Failure(INVALID_URL, f"adresse invalide : {exc}") from None
        seen = {str(current)}
        method = result.method
        loop = asyncio.get_running_loop()
        for _hop in range(self.config.max_redirects + 1):
            target = self.guard.check_url(current)
            result.final_url, result.method = str(target), method
            # The deadline runs only while we talk to the server, never while we
            # wait for our own turn: a catalog with 1,000 URLs on one host queues
            # for minutes by politeness, and counting that wait would turn the
            # last ones into timeouts without a single byte sent. It is one
            # budget for the whole chain, so a redirecting server cannot reset it.
            # The address first: waiting for it must not hold one of the host's slots.
            async with _Turn(self._busy, str(target)), self._gate(target.host), self._slots:
                if result.exchange_s >= self.config.total_timeout:
                    raise TimeoutError
                started = loop.time()
                try:
                    async with (
                        asyncio.timeout(self.config.total_timeout - result.exchange_s),
                        self._session.request(
                            method, target, headers=headers, allow_redirects=False
                        ) as response,
                    ):
                        location = response.headers.get("Location")
                        if response.status not in REDIRECT_STATUSES or not location:
                            result.status, result.headers = response.status, response.headers
                            if read_body and method != "HEAD":
                                await self._read(response, result, limit)
                            return
                finally:
                    result.exchange_s += loop.time() - started
            current = self._next_hop(target, location)
            result.redirects.append(Redirect(response.status, str(current)))
            if str(current) in seen:
                raise _Failure(REDIRECT_LOOP, f"boucle de redirection vers {current}")
            seen.add(str(current))
            if response.status == 303 and method != "HEAD":
                method = "GET"
        raise _Failure(TOO_MANY_REDIRECTS, f"plus de {self.config.max_redirects} redirections")

    @staticmethod
    def _next_hop(target: URL, location: str) -> URL:
        try:
            return target.join(URL(location)).with_fragment(None)
        except ValueError as exc:
            raise _Failure(INVALID_URL, f"redirection vers une adresse invalide : {exc}") from None

    @staticmethod
    async def _read(response: aiohttp.ClientResponse, result: FetchResult, limit: int) -> None:
        """Stream and decode the body up to `limit` bytes; hang up past it."""
        decoder = _decoder(response.headers.get("Content-Encoding", ""))
        body = bytearray()
        async for raw in response.content.iter_chunked(64 * 1024):
            pending = raw
            while pending:
                room = limit - len(body)
                piece, pending, decoder = _decode(decoder, pending, room + 1)
                if len(piece) > room:
                    body += piece[:room]
                    result.truncated = True
                    # close(), not release(): release would drain the rest of the body.
                    response.close()
                    result.body = bytes(body)
                    return
                body += piece
        result.body = bytes(body)

    def _gate(self, host: str | None) -> _HostGate:
        key = (host or "").lower()
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = _HostGate(self.config.per_host, self.config.min_interval)
        return gate

    def _delay(self, result: FetchResult, attempt: int) -> float:
        waited = _retry_after(result.headers.get("Retry-After", "")) if result.status else None
        if waited is not None:
            return min(waited, self.config.retry_after_cap)
        base = self.config.backoff * 2 ** (attempt - 1)
        return min(base + random.uniform(0, self.config.backoff), self.config.retry_after_cap)


def _decoder(encoding: str):
    """A zlib decompressor for gzip or deflate bodies; None for any other coding.

    We decode ourselves, never aiohttp: its decoder flushes whatever compressed
    bytes are buffered when a response is closed early, and a few kilobytes of
    a bomb flushed at once are tens of megabytes.
    """
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return _DeflateDecoder()
    return None


def _decode(decoder, data: bytes, most: int):
    """At most `most` decoded bytes from `data`: (output, input left, decoder)."""
    if decoder is None:
        return data[:most], data[most:], None
    try:
        piece = decoder.decompress(data, most)
    except zlib.error as exc:
        raise _Failure(PROTOCOL, f"contenu compressé illisible : {exc}") from None
    pending = decoder.unconsumed_tail
    if not pending and decoder.eof and decoder.unused_data:
        # A new gzip member follows the one that just ended.
        pending, decoder = decoder.unused_data, zlib.decompressobj(16 + zlib.MAX_WBITS)
    return piece, pending, decoder


class _DeflateDecoder:
    """ "deflate" as servers send it: zlib-wrapped, or raw as some old servers do."""

    def __init__(self):
        self._inner = None

    def decompress(self, data: bytes, most: int) -> bytes:
        if self._inner is None:
            raw = not data or (data[0] & 0x0F) != 8
            self._inner = zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        return self._inner.decompress(data, most)

    def __getattr__(self, name):
        return getattr(self._inner, name)


def _retry_after(value: str) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _classify(exc: BaseException) -> tuple[str, str]:
    """A network exception as (error kind, detail in French)."""
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        cert_error = exc.certificate_error
        detail = getattr(cert_error, "verify_message", "") or str(cert_error)
        return TLS, f"certificat refusé : {detail}"
    if isinstance(exc, aiohttp.ClientSSLError | ssl.SSLError):
        return TLS, f"échec de la négociation TLS : {exc}"
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return DNS, "nom de domaine introuvable"
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return CONNECT_TIMEOUT, "délai de connexion dépassé"
    if isinstance(exc, TimeoutError):
        return TIMEOUT, "délai de réponse dépassé"
    if isinstance(exc, aiohttp.ClientConnectorError):
        return REFUSED, f"connexion impossible : {exc.strerror or exc}"
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientConnectionResetError):
        return RESET, "connexion interrompue par le serveur"
    if isinstance(exc, aiohttp.ClientOSError) and exc.errno in (errno.ECONNRESET, errno.EPIPE):
        return RESET, "connexion interrompue par le serveur"
    if isinstance(exc, aiohttp.InvalidURL):
        return INVALID_URL, f"adresse invalide : {exc}"
    return PROTOCOL, f"réponse invalide : {type(exc).__name__}: {exc}"
