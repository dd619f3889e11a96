"""A small official site on 127.0.0.1 that the tests change between watch runs.

Pages are set by path; each answer carries an ETag derived from the body and
honours If-None-Match with a 304, unless the page is marked as ignoring
conditional requests. Every request is logged as (method, path, status).
"""

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Page:
    def __init__(self, body: bytes | str, status=200, content_type="text/html; charset=utf-8"):
        self.body = body.encode() if isinstance(body, str) else body
        self.status = status
        self.content_type = content_type
        self.conditional = True

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


class LocalSite:
    def __init__(self):
        self.pages: dict[str, Page] = {}
        self.log: list[tuple[str, str, int]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site._answer(self)

            def do_HEAD(self):
                site._answer(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, body, **options) -> Page:
        self.pages[path] = Page(body, **options)
        return self.pages[path]

    def requests(self, path: str) -> list[int]:
        return [status for _, p, status in self.log if p == path]

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        page = self.pages.get(handler.path.split("?")[0])
        if page is None:
            status, body, headers = 404, b"introuvable", {"Content-Type": "text/plain"}
        elif page.conditional and handler.headers.get("If-None-Match") == page.etag:
            status, body, headers = 304, b"", {"ETag": page.etag}
        else:
            status, body = page.status, page.body
            headers = {"Content-Type": page.content_type}
            if page.conditional:
                headers["ETag"] = page.etag
        self.log.append((handler.command, handler.path, status))
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        if status != 304:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command != "HEAD" and status != 304:
            handler.wfile.write(body)

    def __enter__(self) -> "LocalSite":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def page(*links: tuple[str, str], chrome: bool = True, extra: str = "") -> str:
    """An official-looking page: header, nav, sharing links and footer around `main`."""
    items = "\n".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    top = (
        '<header><a href="/">Accueil</a><a href="/segur/hopital/connexion">Connexion</a></header>'
        '<nav><a href="/segur/hopital/plan">Plan</a><a href="/segur">Ségur</a></nav>'
        if chrome
        else ""
    )
    bottom = '<footer><a href="/mentions-legales">Mentions</a></footer>' if chrome else ""
    return f"""<!doctype html><html lang="fr"><head><title>Hôpital</title></head><body>
{top}
<main><h1>Ségur numérique — Hôpital</h1>
<p><a href="https://www.facebook.com/sharer/sharer.php?u=x">Partager</a>
<a href="https://twitter.com/intent/tweet?url=x">Tweeter</a>
<a href="#contenu">Aller au contenu</a><a href="?page=2">Page suivante</a></p>
<ul>{items}</ul>{extra}</main>
{bottom}
</body></html>"""
