"""`qorgau audit seal` and `qorgau audit verify`: the access log's chain (ADR 0009)."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from qorgau.audit.log import seal, verify


class Command(BaseCommand):
    help = (
        "Access log tools. seal: chain the entries appended since the last seal. "
        "verify: seal, then recompute every hash and link of the chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        sealer = commands.add_parser("seal", help="seal unsealed entries into the chain")
        sealer.add_argument("--batch-size", type=int, default=5000)
        checker = commands.add_parser(
            "verify",
            help="seal, recompute the chain; exit 1 at the first break, "
            "2 if entries older than --max-unsealed-age are still unsealed",
        )
        checker.add_argument(
            "--no-seal",
            action="store_true",
            help="only read (a read-only account or a replica): do not seal first",
        )
        checker.add_argument(
            "--max-unsealed-age",
            type=int,
            default=60,
            metavar="SECONDS",
            help="an unsealed entry older than this means the sealer stopped (default 60)",
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "seal":
            sealed = seal(batch_size=options["batch_size"])
            self.stdout.write(f"access log: {sealed} entries sealed")
            return
        if not options["no_seal"]:
            seal()
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
        if verdict.oldest_unsealed is None:
            return
        self.stdout.write(
            f"{verdict.unsealed} entries not sealed yet (not tamper-evident until sealed), "
            f"the oldest from {verdict.oldest_unsealed.isoformat()}"
        )
        limit = dt.timedelta(seconds=options["max_unsealed_age"])
        if timezone.now() - verdict.oldest_unsealed > limit:
            raise CommandError(
                f"access log: entries unsealed for more than {limit.total_seconds():g} s: "
                "is `qorgau audit seal` scheduled?",
                returncode=2,
            )
