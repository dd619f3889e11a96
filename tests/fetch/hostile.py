"""A hostile web server on 127.0.0.1, run in a thread, for the fetch and linkcheck tests.

Every behaviour a link checker meets in the wild, one path each (see ROUTES).
The server counts the requests it gets per path and method, and the most
requests it ever had in flight at once, so tests assert on the server side.
"""

import asyncio
import contextlib
import datetime
import ipaddress
import ssl
import threading
import zlib
from collections import Counter
from pathlib import Path

from aiohttp import web

PDF = b"%PDF-1.7\n" + b"0" * 2000 + b"\n%%EOF\n"
ETAG = '"v1"'
LAST_MODIFIED = "Tue, 24 Nov 2026 08:00:00 GMT"
PAGE = (
    "<!doctype html><html lang=fr><head><title>{title}</title></head>"
    "<body><h1>{h1}</h1></body></html>"
)


def _page(title: str, h1: str = "", status: int = 200) -> web.Response:
    return web.Response(
        text=PAGE.format(title=title, h1=h1 or title), content_type="text/html", status=status
    )


def _bomb_parts() -> tuple[bytes, bytes]:
    """A gzip header with a first block, and a block that repeats forever.

    After a full flush, deflate restarts from an empty history, so the same
    megabyte of zeros compresses to the same ~1 KB again and again: the body
    can be sent endlessly without compressing gigabytes first.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1024 * 1024)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    unit = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first, unit


class HostileServer:
    """Start with `start()`, stop with `stop()`; `url(path)` gives an address on it."""

    def __init__(self, host: str = "127.0.0.1", ssl_context: ssl.SSLContext | None = None):
        self.host = host
        self.ssl_context = ssl_context
        self.hits: Counter = Counter()
        self.in_flight: Counter = Counter()
        self.max_in_flight: Counter = Counter()
        self.user_agents: set[str] = set()
        self.conditional: list[str] = []
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()

    # --- lifecycle ------------------------------------------------------------

    def start(self) -> "HostileServer":
        threading.Thread(target=self._run, daemon=True).start()
        if not self._ready.wait(10):
            raise RuntimeError("the hostile server did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)

    def url(self, path: str) -> str:
        scheme = "https" if self.ssl_context else "http"
        return f"{scheme}://{self.host}:{self.port}{path}"

    def reset_counts(self) -> None:
        self.hits.clear()
        self.max_in_flight.clear()
        self.conditional.clear()

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())
        self._ready.set()
        self._loop.run_forever()

    async def _serve(self) -> None:
        app = web.Application(middlewares=[self._count])
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0, ssl_context=self.ssl_context)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    @web.middleware
    async def _count(self, request: web.Request, handler):
        self.hits[(request.method, request.path)] += 1
        self.user_agents.add(request.headers.get("User-Agent", ""))
        if "If-None-Match" in request.headers or "If-Modified-Since" in request.headers:
            self.conditional.append(request.path)
        # Per path: a slow handler of an earlier test may still be running.
        path = request.path
        self.in_flight[path] += 1
        self.max_in_flight[path] = max(self.max_in_flight[path], self.in_flight[path])
        try:
            return await handler(request)
        finally:
            self.in_flight[path] -= 1

    def count(self, path: str, method: str | None = None) -> int:
        return sum(n for (m, p), n in self.hits.items() if p == path and method in (None, m))

    # --- behaviours -----------------------------------------------------------

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        handler = ROUTES.get(path)
        if handler is None:
            for prefix, prefixed in PREFIXES.items():
                if path.startswith(prefix):
                    return await prefixed(self, request, path[len(prefix) :])
            return _page("Introuvable", status=404)
        return await handler(self, request)


async def ok(server, request):
    return _page("Le Ségur du numérique en santé", "Bienvenue")


async def document(server, request):
    if request.headers.get("If-None-Match") == ETAG:
        return web.Response(status=304, headers={"ETag": ETAG})
    return web.Response(
        body=PDF,
        content_type="application/pdf",
        headers={"ETag": ETAG, "Last-Modified": LAST_MODIFIED},
    )


def page(title: str, h1: str):
    async def handler(server, request):
        return _page(title, h1)

    return handler


def answer(code: int, headers: dict | None = None):
    async def handler(server, request):
        return web.Response(status=code, text=f"status {code}", headers=headers or {})

    return handler


async def busy_then_ok(server, request):
    # 503 to the first request of each method, then the document.
    if server.count(request.path, request.method) == 1:
        return web.Response(status=503, headers={"Retry-After": "0"})
    return await document(server, request)


async def slow_headers(server, request):
    await asyncio.sleep(30)
    return _page("Trop tard")


async def slow_body(server, request):
    response = web.StreamResponse(headers={"Content-Type": "application/pdf"})
    await response.prepare(request)
    with contextlib.suppress(ConnectionError):
        for _ in range(600):
            await response.write(b"%")
            await asyncio.sleep(0.1)
    return response


async def endless(server, request):
    response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
    await response.prepare(request)
    chunk = b"\0" * 65536
    if request.method == "HEAD":
        return response
    # The client hangs up at its cap: that ends the loop, quietly.
    with contextlib.suppress(ConnectionError):
        for _ in range(65536):  # 4 GiB if nobody stops reading
            await response.write(chunk)
    return response


async def bomb(server, request):
    first, unit = BOMB
    response = web.StreamResponse(
        headers={"Content-Type": "application/pdf", "Content-Encoding": "gzip"}
    )
    await response.prepare(request)
    if request.method == "HEAD":
        return response
    with contextlib.suppress(ConnectionError):
        await response.write(first)
        for _ in range(4096):  # 4 GiB of zeros once decoded
            await response.write(unit)
    return response


async def lying_head(server, request):
    if request.method == "HEAD":
        return web.Response(status=200, headers={"Content-Type": ""})
    return _page("Page introuvable", status=404)


async def head_refused(server, request):
    if request.method == "HEAD":
        return web.Response(status=405, headers={"Allow": "GET"})
    return await document(server, request)


async def reset(server, request):
    request.transport.abort()
    await asyncio.sleep(0.05)
    return web.Response()


async def slow_counted(server, request):
    await asyncio.sleep(0.05)
    return await document(server, request)


def redirect(code: int, location: str, close: bool = False):
    async def handler(server, request):
        target = location.format(port=server.port, host=server.host)
        response = web.Response(status=code, headers={"Location": target})
        if close:  # the next hop needs a new connection, hence a new resolution
            response.force_close()
        return response

    return handler


async def chain(server, request, rest: str):
    n = int(rest)
    if n == 0:
        return await ok(server, request)
    return web.Response(status=302, headers={"Location": f"/redirect/chain/{n - 1}"})


ROUTES = {
    "/ok": ok,
    "/doc.pdf": document,
    "/missing.pdf": answer(404),
    "/gone.pdf": answer(410),
    "/server-error": answer(500),
    "/busy": answer(503, {"Retry-After": "0"}),
    "/busy-then-ok.pdf": busy_then_ok,
    "/rate-limited": answer(429, {"Retry-After": "0"}),
    "/unauthorized": answer(401),
    "/forbidden": answer(403),
    "/slow-headers": slow_headers,
    "/slow-body.pdf": slow_body,
    "/endless.bin": endless,
    "/bomb.pdf": bomb,
    "/lying-head.pdf": lying_head,
    "/head-refused.pdf": head_refused,
    "/reset": reset,
    "/counted.pdf": slow_counted,
    "/soft-404-fr": page("Page introuvable", "Cette page n’existe pas"),
    "/soft-404-en": page("Oops", "404 - Page not found"),
    "/error-page.pdf": page("Erreur", "Le document demandé n’existe plus"),
    "/redirect/permanent": redirect(301, "/doc.pdf"),
    "/redirect/to-counted-a": redirect(302, "/counted.pdf"),
    "/redirect/to-counted-b": redirect(301, "/counted.pdf"),
    "/redirect/permanent-twice": redirect(308, "/redirect/permanent"),
    "/redirect/temporary": redirect(302, "/ok"),
    "/redirect/loop-a": redirect(302, "/redirect/loop-b"),
    "/redirect/loop-b": redirect(302, "/redirect/loop-a"),
    "/redirect/metadata": redirect(302, "http://169.254.169.254/latest/meta-data/"),
    "/redirect/private": redirect(302, "http://10.0.0.1/admin"),
    "/redirect/loopback-v6": redirect(302, "http://[::1]:{port}/ok"),
    "/redirect/file": redirect(302, "file:///etc/passwd"),
    "/redirect/same-host-name": redirect(302, "http://rebind.test:{port}/ok", close=True),
}
PREFIXES = {"/redirect/chain/": chain}
BOMB = _bomb_parts()


# --- TLS: certificates made for the test, never a verification turned off -------


def make_certificates(folder: Path) -> dict[str, Path]:
    """A CA, and leaf certificates signed by it: valid, expired, for another host.

    Also a self-signed one. Returns file paths by name (each .pem holds key
    and certificate).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def build(subject, issuer, key, signer, *, ca=False, sans=(), start=None, end=None):
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(subject))
            .issuer_name(name(issuer))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start or now - datetime.timedelta(days=1))
            .not_valid_after(end or now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if sans:
            builder = builder.add_extension(
                x509.SubjectAlternativeName(
                    [x509.IPAddress(ipaddress.ip_address(s)) for s in sans]
                ),
                critical=False,
            )
        return builder.sign(signer, hashes.SHA256())

    def write(filename: str, key, cert) -> Path:
        path = folder / filename
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            + cert.public_bytes(serialization.Encoding.PEM)
        )
        return path

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = build("Sommaire test CA", "Sommaire test CA", ca_key, ca_key, ca=True)
    paths = {"ca": folder / "ca.pem"}
    paths["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    leaves = {
        "valid": dict(sans=["127.0.0.1"]),
        "expired": dict(
            sans=["127.0.0.1"],
            start=now - datetime.timedelta(days=60),
            end=now - datetime.timedelta(days=30),
        ),
        "wrong-host": dict(sans=["127.0.0.2"]),
    }
    for label, options in leaves.items():
        key = ec.generate_private_key(ec.SECP256R1())
        paths[label] = write(
            f"{label}.pem", key, build("127.0.0.1", "Sommaire test CA", key, ca_key, **options)
        )
    key = ec.generate_private_key(ec.SECP256R1())
    paths["self-signed"] = write(
        "self-signed.pem", key, build("127.0.0.1", "127.0.0.1", key, key, sans=["127.0.0.1"])
    )
    return paths


def server_context(pem: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pem)
    return context


def client_context(ca: Path) -> ssl.SSLContext:
    """A verifying context that trusts the test CA (and nothing is turned off)."""
    return ssl.create_default_context(cafile=str(ca))
