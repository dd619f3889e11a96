"""The production topology on one machine, over loopback: the pieces `check.py`
(make deploy-check) and `bench/bench_pages.py --through-nginx` start.

Everything runs in its own process group under one temporary directory, and
`Stack.close` stops every group it started (and only those), then removes the
directory: also on error, Ctrl-C or SIGTERM, since callers hold the stack in
a `with` block and turn SIGTERM into SystemExit. Afterwards `Stack.leftovers`
says what still runs (nothing, or the close failed) by reading /proc.
"""

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

DEPLOY_DIR = Path(__file__).resolve().parent
PROJECT_DIR = DEPLOY_DIR.parent
PG_BIN = Path(os.environ.get("SOMMAIRE_PG_BIN", "/usr/lib/postgresql/15/bin"))
LOOPBACK = "127.0.0.1"
ADDRESS = re.compile(r"https?://([^/\s'\"]+)")


class TopologyError(Exception):
    """A piece did not start or did not answer; the message says which and why."""


def free_port(host: str = LOOPBACK) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def find_tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if not found:
        raise TopologyError(f"{name} is missing (apt-get install {name})")
    return found


class Stack:
    """A temporary directory and the process groups started in it."""

    def __init__(self, prefix: str = "sommaire-topology-") -> None:
        self.root = Path(tempfile.mkdtemp(prefix=prefix))
        # PostgreSQL runs as its own user when we are root, and nginx's
        # workers as nobody: both must reach their files below.
        self.root.chmod(0o755)
        self.logs = self.root / "logs"
        self.logs.mkdir()
        self.groups: dict[str, subprocess.Popen] = {}
        # Every process group ever started, also those killed since or started
        # outside `start` (PostgreSQL's postmaster puts itself in its own).
        self.pgids: set[int] = set()
        self.on_close: list = []

    def __enter__(self) -> "Stack":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self, name: str, command: list[str], env: dict | None = None) -> subprocess.Popen:
        with open(self.logs / f"{name}.log", "ab") as out:
            process = subprocess.Popen(
                command, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, process_group=0,
            )  # fmt: skip
        self.groups[name] = process
        self.pgids.add(process.pid)
        return process

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Send `sig` to the whole group of `name` (the group id is its pid)."""
        process = self.groups.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def close(self) -> None:
        # A second Ctrl-C (or SIGTERM) must not cut the clean-up short.
        in_main = threading.current_thread() is threading.main_thread()
        if in_main:
            handlers = {sig: signal.signal(sig, signal.SIG_IGN) for sig in STOP_SIGNALS}
        try:
            self._close()
        finally:
            if in_main:
                for sig, handler in handlers.items():
                    signal.signal(sig, handler)

    def _close(self) -> None:
        for name in reversed(list(self.groups)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.groups[name].pid, signal.SIGTERM)
        for name in reversed(list(self.groups)):
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.groups[name].wait(timeout=10)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.groups[name].pid, signal.SIGKILL)
        self.groups.clear()
        for undo in reversed(self.on_close):
            with contextlib.suppress(Exception):
                undo()
        shutil.rmtree(self.root, ignore_errors=True)

    def leftovers(self, wait: float = 5.0) -> list[str]:
        """Processes of our groups still running after `close` ("pid name"),
        once those killed a moment ago have had `wait` seconds to go."""
        deadline = time.monotonic() + wait
        while True:
            found = [
                f"{pid} {name}" for pid, name, pgid in running_processes() if pgid in self.pgids
            ]
            if not found or time.monotonic() > deadline:
                return found
            time.sleep(0.1)

    def log_tail(self, name: str, size: int = 3000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-size:] if path.exists() else ""


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def running_processes():
    """(pid, name, process group) of every live process; zombies are not running."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            text = stat.read_text()
            # "pid (name) state ppid pgrp ...": the name may hold spaces and parentheses.
            name = text[text.index("(") + 1 : text.rindex(")")]
            state, _, pgrp = text[text.rindex(")") + 2 :].split()[:3]
            if state != "Z":
                yield int(stat.parent.name), name, int(pgrp)


# --- PostgreSQL: a cluster of our own on a free loopback port -------------------


class Postgres:
    """initdb into the stack's directory; never the machine's shared cluster."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.data = stack.root / "pgdata"
        self.socket_dir = stack.root / "pgsocket"
        self.port = free_port()
        self.url = f"postgres://sommaire@{LOOPBACK}:{self.port}/sommaire"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        # initdb and postgres refuse to run as root: run them as postgres.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=120, cwd="/"
        )
        if check and done.returncode != 0:
            raise TopologyError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
        return done

    def create(self) -> None:
        for path in (self.data, self.socket_dir):
            path.mkdir()
            if os.geteuid() == 0:
                shutil.chown(path, "postgres", "postgres")
        log = self.stack.logs / "postgresql.log"
        log.touch()
        if os.geteuid() == 0:
            shutil.chown(log, "postgres", "postgres")
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "sommaire",
            "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        self.stack.on_close.append(lambda: self.stop("immediate"))
        self.start()
        self._run(str(PG_BIN / "createdb"), "-h", LOOPBACK, "-p", str(self.port), "-U",
                  "sommaire", "sommaire")  # fmt: skip

    def start(self) -> None:
        options = f"-c listen_addresses={LOOPBACK} -p {self.port} -k {self.socket_dir} -c fsync=off"
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
            str(self.stack.logs / "postgresql.log"), "-o", options, "-w", "start",
        )  # fmt: skip
        # pg_ctl starts the postmaster in a session of its own: watch that group too.
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        self.stack.pgids.add(os.getpgid(postmaster))

    def stop(self, mode: str = "fast") -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop",
                  check=False)  # fmt: skip


# --- the application ------------------------------------------------------------


def application_env(stack: Stack, database_url: str, site_url: str, **extra: str) -> dict:
    """The production profile behind a TLS proxy, on the stack's own var/ folder."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not (name.startswith("SOMMAIRE_") or name in ("DATABASE_URL", "SECRET_KEY"))
    }
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(40),
        SOMMAIRE_VAR_DIR=str(stack.root / "var"),
        SOMMAIRE_ALLOWED_HOSTS=f"{LOOPBACK},localhost",
        SOMMAIRE_SITE_URL=site_url,
        SOMMAIRE_HTTPS="true",
        SOMMAIRE_SSL_REDIRECT="false",
        SOMMAIRE_HSTS_SECONDS="0",
        SOMMAIRE_TRUSTED_PROXIES="1",
        DJANGO_SETTINGS_MODULE="sommaire.settings",
    )
    env.update(extra)
    return env


def sommaire(env: dict, *command: str, timeout: float = 600) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "sommaire", *command],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    if done.returncode != 0:
        raise TopologyError(f"sommaire {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def start_instance(stack: Stack, name: str, env: dict, port: int, workers: int = 2):
    return stack.start(
        name,
        [sys.executable, "-m", "sommaire", "serve", "--host", LOOPBACK, "--port", str(port),
         "--workers", str(workers), "--no-collectstatic"],
        env,
    )  # fmt: skip


def wait_for(url: str, process: subprocess.Popen, stack: Stack, name: str, timeout=120) -> int:
    """Wait until `url` answers (any HTTP status); the status it gave."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5, context=insecure_tls()) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.25)
    why = f"exited with {process.returncode}" if process.poll() is not None else "timed out"
    raise TopologyError(f"{name} did not answer on {url} ({why}). Log:\n{stack.log_tail(name)}")


def insecure_tls():
    """Our own self-signed certificate: encrypted, not verified."""
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


# --- nginx with the shipped configuration ----------------------------------------


NGINX_MAIN = """\
worker_processes {workers};
pid {root}/nginx.pid;
error_log {logs}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {root}/temp/body;
    proxy_temp_path {root}/temp/proxy;
    fastcgi_temp_path {root}/temp/fastcgi;
    uwsgi_temp_path {root}/temp/uwsgi;
    scgi_temp_path {root}/temp/scgi;
    include {root}/sommaire.conf;
{extra}
}}
"""


def substitute(text: str, replacements: dict[str, str], source: str) -> str:
    """Replace each string exactly once: a shipped file that changed shape fails loudly."""
    for old, new in replacements.items():
        if text.count(old) != 1:
            raise TopologyError(f"{source}: expected {old!r} exactly once")
        text = text.replace(old, new)
    return text


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    done = subprocess.run(
        [find_tool("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", f"subjectAltName=IP:{LOOPBACK},DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    if done.returncode != 0:
        raise TopologyError(f"openssl could not make a certificate:\n{done.stderr}")
    key.chmod(0o644)  # nginx's master reads it as root before dropping privileges anyway
    return cert, key


def write_nginx(stack: Stack, app_ports: list[int], workers: int, extra: str = "") -> dict:
    """The shipped nginx files, with this stack's paths and ports; their addresses."""
    root = stack.root / "nginx"
    (root / "temp").mkdir(parents=True)
    (root / "cache").mkdir()
    cert, key = self_signed_certificate(root)
    https_port, http_port = free_port(), free_port()
    shipped = DEPLOY_DIR / "nginx"
    upstream = (shipped / "sommaire-upstream.conf").read_text()
    lines = [f"    server {LOOPBACK}:{port} max_fails=1 fail_timeout=5s;" for port in app_ports]
    upstream = re.sub(r"(?m)^    server 127\.0\.0\.1:800\d .*\n", "", upstream)
    upstream = upstream.replace("    keepalive", "\n".join(lines) + "\n    keepalive", 1)
    (root / "sommaire-upstream.conf").write_text(upstream)
    shutil.copy(shipped / "sommaire-proxy.conf", root / "sommaire-proxy.conf")
    site = substitute(
        (shipped / "sommaire.conf").read_text(),
        {
            "include /etc/nginx/sommaire-upstream.conf;": f"include {root}/sommaire-upstream.conf;",
            "/var/cache/nginx/sommaire": str(root / "cache"),
            "    listen 80;\n": f"    listen {LOOPBACK}:{http_port};\n",
            "    listen [::]:80;\n": "",
            "    listen 443 ssl http2;\n": f"    listen {LOOPBACK}:{https_port} ssl http2;\n",
            "    listen [::]:443 ssl http2;\n": "",
            "/etc/ssl/sommaire/fullchain.pem": str(cert),
            "/etc/ssl/sommaire/privkey.pem": str(key),
            "/srv/sommaire/var/static/": f"{stack.root / 'var' / 'static'}/",
        },
        "deploy/nginx/sommaire.conf",
    )
    site = site.replace(
        "include /etc/nginx/sommaire-proxy.conf;", f"include {root}/sommaire-proxy.conf;"
    )
    (root / "sommaire.conf").write_text(site)
    (root / "nginx.conf").write_text(
        NGINX_MAIN.format(workers=workers, root=root, logs=stack.logs, extra=extra)
    )
    return {
        "conf": root / "nginx.conf",
        "root": root,
        "https": f"https://{LOOPBACK}:{https_port}",
        "http": f"http://{LOOPBACK}:{http_port}",
    }


def start_nginx(stack: Stack, nginx: dict) -> subprocess.Popen:
    command = [find_tool("nginx"), "-p", str(nginx["root"]), "-c", str(nginx["conf"]),
               "-e", str(stack.logs / "nginx-error.log"), "-g", "daemon off;"]  # fmt: skip
    test = subprocess.run([*command[:-2], "-t"], capture_output=True, text=True, timeout=30)
    if test.returncode != 0:
        raise TopologyError(f"nginx refuses the configuration:\n{test.stderr}")
    return stack.start("nginx", command)
