"""`qorgau demo`: the demo dataset with defaults, then the logins to try it with."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qorgau.demo.builder import demo_exists
from qorgau.demo.management.commands._options import (
    DEFAULT_CHILDREN,
    add_build_arguments,
    build,
    dataset_summary,
    write_logins,
)
from qorgau.demo.second_factor import ensure_demo_authenticators
from qorgau.monitoring.demo import ensure_demo_statistics
from qorgau.programmes.demo import ensure_demo_programmes
from qorgau.surveys.demo import ensure_demo_survey
from qorgau.workforce.demo import ensure_demo_workforce


class Command(BaseCommand):
    help = "Build the demo dataset (about 2,000 children) unless it exists; print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        add_build_arguments(parser, default_children=DEFAULT_CHILDREN)

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists() and not options["reset"]:
            self.stdout.write(
                self.style.WARNING(
                    f"A demo dataset is already here ({dataset_summary()}): nothing built. "
                    "Use --reset to rebuild it."
                )
            )
        else:
            build(self, options)
        ensure_demo_authenticators()
        ensure_demo_survey(self)
        ensure_demo_statistics(self)  # the population denominators the workforce divides by
        ensure_demo_workforce(self)
        ensure_demo_programmes(self)
        write_logins(self)
