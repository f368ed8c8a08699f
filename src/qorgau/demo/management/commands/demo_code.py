"""`qorgau demo_code USERNAME`: the current second-factor code of a demo user."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qorgau.demo.second_factor import demo_code


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo user (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(demo_code(options["username"]))
        except (LookupError, PermissionError) as error:
            raise CommandError(str(error)) from error
