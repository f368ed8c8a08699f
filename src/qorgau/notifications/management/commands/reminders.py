"""`qorgau reminders`: queue the reminder sweep for the worker (`qorgau db_worker`).

Run it every 15 minutes from cron or a systemd timer (docs/operations.md). `--now`
runs the sweep in this process instead, without the worker.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qorgau.notifications.services import reminders_send
from qorgau.notifications.tasks import send_reminders


class Command(BaseCommand):
    help = "Queue the reminder sweep (deadlines, returned plans, transfers, emergency reviews)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run it here, not in the worker")

    def handle(self, *args: Any, now: bool = False, **options: Any) -> None:
        if now:
            counts = reminders_send()
            self.stdout.write(f"{counts['recorded']} new reminders, {counts['emailed']} e-mailed")
            return
        result = send_reminders.enqueue()
        self.stdout.write(f"reminder sweep queued: task {result.id}")
