"""`qorgau audit verify`: check that the access log chain is intact."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qorgau.audit.log import verify


class Command(BaseCommand):
    help = "Access log tools. verify: recompute every hash and link of the chain."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser("verify", help="recompute the chain; exit 1 at the first break")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        verdict = verify()
        if verdict.first_break is not None:
            broken = verdict.first_break
            raise CommandError(
                f"access log chain BROKEN at entry id={broken.entry_id} seq={broken.seq} "
                f"({broken.at.isoformat()}): {broken.problem}. "
                f"{verdict.checked} entries before it are intact.",
                returncode=1,
            )
        self.stdout.write(
            f"access log chain intact: {verdict.checked} entries; "
            f"head seq={verdict.head_seq} hash={verdict.head_hash or '-'}"
        )
