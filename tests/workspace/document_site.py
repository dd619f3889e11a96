"""A small official-looking site on 127.0.0.1, for checking addresses in the workspace.

- any path ending in `.pdf`: a PDF of 2,048 bytes;
- `/manquant/...`: 404;
- `/ancien/<name>`: a permanent redirect to `/<name>`;
- anything else: an HTML page.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PDF = b"%PDF-1.7\n" + b"0" * 2030 + b"\n%%EOF\n"


class _Handler(BaseHTTPRequestHandler):
    def do_HEAD(self):
        self._answer(body=False)

    def do_GET(self):
        self._answer(body=True)

    def _answer(self, body: bool) -> None:
        path = self.path.split("?", 1)[0]
        if path.startswith("/manquant/"):
            status, kind, content, extra = 404, "text/html", b"<h1>404</h1>", {}
        elif path.startswith("/ancien/"):
            status, kind, content = 301, "text/html", b""
            extra = {"Location": "/" + path.removeprefix("/ancien/")}
        elif path.endswith(".pdf"):
            status, kind, content, extra = 200, "application/pdf", PDF, {}
        else:
            status, kind, extra = 200, "text/html; charset=utf-8", {}
            content = "<title>Webinaire</title><h1>Webinaire régional</h1>".encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(content)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(content)

    def log_message(self, *args):
        pass


class DocumentSite:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "DocumentSite":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"
