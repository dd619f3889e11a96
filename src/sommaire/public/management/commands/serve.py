"""Serve Sommaire with the production server (gunicorn), static files included.

Steps: collect static files into var/static when they are missing or stale
(WhiteNoise serves them, compressed and with long cache headers), then start
gunicorn with the given host, port and number of workers.
"""

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


class Command(BaseCommand):
    help = "Sert le site avec le serveur de production (gunicorn), fichiers statiques compris."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)

    def handle(self, *args, host: str, port: int, workers: int, threads: int, **options):
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
            }
        ).run()
