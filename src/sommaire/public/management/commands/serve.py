"""Serve Sommaire with the production server (gunicorn), static files included.

Steps: collect static files into var/static when they are missing or stale
(WhiteNoise serves them, compressed and with long cache headers), unless
`--no-collectstatic` (several instances sharing one folder: it is collected
once per release), then start gunicorn with the given host, port and number
of workers.
"""

import gc

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # Imported only now, after collectstatic: WhiteNoise lists STATIC_ROOT
        # once, when the application is built, and would miss files added later.
        from sommaire.wsgi import application

        return application


def _freeze_startup_objects(worker) -> None:
    # Django, the DSFR and the URL and template caches leave about a hundred
    # thousand long-lived objects; every full collection walked them all with
    # the GIL held, stalling each thread of the worker (p99 doubled under load).
    gc.collect()
    gc.freeze()


class Command(BaseCommand):
    help = "Sert le site avec le serveur de production (gunicorn), fichiers statiques compris."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--worker-connections",
            type=int,
            default=40,
            help="connexions ouvertes au plus par worker, keep-alive compris",
        )
        parser.add_argument(
            "--no-collectstatic",
            dest="collectstatic",
            action="store_false",
            help="ne pas rassembler les fichiers statiques (déjà faits pour cette version)",
        )

    def handle(
        self, *args, host, port, workers, threads, worker_connections, collectstatic, **options
    ):
        if collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Sommaire sur http://{host}:{port}/ ({workers} workers)")
        _Gunicorn(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "accesslog": "-" if settings.DEBUG else None,
                "errorlog": "-",
                "graceful_timeout": 10,
                "keepalive": 5,
                # A worker accepts every connection it can, and kept-alive ones
                # stay with it: without a cap one worker may hold them all and
                # the GIL limits the server to one core. The cap spreads them.
                "worker_connections": worker_connections,
                "post_worker_init": _freeze_startup_objects,
                # Several servers on one machine must not share ~/.gunicorn/.
                "control_socket_disable": True,
            }
        ).run()
