"""`qorgau serve`: the production server (gunicorn, gthread workers)."""

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


def default_workers() -> int:
    # gunicorn's advice: 2 x cores + 1 processes; each has QORGAU_SERVE_THREADS threads
    # that wait on the database in parallel.
    return 2 * (os.cpu_count() or 1) + 1


def gunicorn_argv(*, bind: str, workers: int, threads: int, timeout: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "qorgau.wsgi:application",
        f"--bind={bind}",
        f"--workers={workers}",
        "--worker-class=gthread",
        f"--threads={threads}",
        f"--timeout={timeout}",
        "--graceful-timeout=30",
        # A worker is replaced after this many requests: memory stays bounded.
        "--max-requests=2000",
        "--max-requests-jitter=200",
        "--access-logfile=-",
        # Addresses are taken from X-Forwarded-For by the app itself, and only from
        # QORGAU_TRUSTED_PROXY_COUNT proxies (audit.context.client_ip).
        "--forwarded-allow-ips=127.0.0.1",
        # No control socket: its default path is shared by every server of the user.
        "--no-control-socket",
    ]


class Command(BaseCommand):
    help = "Run the production server: gunicorn with gthread workers, static files by WhiteNoise."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("QORGAU_BIND", "127.0.0.1:8000"),
            help="address:port (default QORGAU_BIND or 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("QORGAU_SERVE_WORKERS", default_workers())),
            help="processes (default QORGAU_SERVE_WORKERS or 2 x cores + 1)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.QORGAU_SERVE_THREADS,
            help="threads per process, and database connections in its pool "
            "(QORGAU_SERVE_THREADS, default 4)",
        )
        parser.add_argument("--timeout", type=int, default=60, help="seconds per request")

    def handle(self, *args: Any, **options: Any) -> None:
        # The workers' settings size their connection pools by it.
        os.environ["QORGAU_SERVE_THREADS"] = str(options["threads"])
        argv = gunicorn_argv(
            bind=options["bind"],
            workers=options["workers"],
            threads=options["threads"],
            timeout=options["timeout"],
        )
        sys.stdout.flush()
        os.execv(argv[0], argv)  # noqa: S606 - gunicorn takes over this process
