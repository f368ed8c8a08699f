"""`qorgau seed --children N --seed S`: build the deterministic synthetic dataset."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qorgau.demo.builder import demo_exists
from qorgau.demo.management.commands._options import (
    DEFAULT_CHILDREN,
    add_build_arguments,
    build,
    dataset_summary,
)


class Command(BaseCommand):
    help = "Build a synthetic demo dataset (same seed and day, same data)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_build_arguments(parser, default_children=DEFAULT_CHILDREN)

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists() and not options["reset"]:
            raise CommandError(
                f"A demo dataset is already here ({dataset_summary()}). "
                "Use --reset to delete it and build again."
            )
        build(self, options)
