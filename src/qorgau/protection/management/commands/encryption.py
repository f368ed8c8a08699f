"""`qorgau encryption`: key rotation for the encrypted columns and the IIN hash."""

from typing import Any

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qorgau.protection.keys import data_keys
from qorgau.protection.rotation import ColumnCount, rehash_iins, rotate


class Command(BaseCommand):
    help = (
        "Encryption at rest. rotate: re-encrypt every value under the newest key of "
        "QORGAU_DATA_KEYS (--check: only count). rehash-iin: recompute the IIN hashes "
        "under the newest QORGAU_IIN_HASH_KEY. generate-key: print a new data key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        rotate_ = commands.add_parser("rotate", help="re-encrypt under the newest data key")
        rotate_.add_argument(
            "--check",
            action="store_true",
            help="write nothing; exit 1 while any value is under an older key",
        )
        rotate_.add_argument("--batch-size", type=int, default=500)
        rehash = commands.add_parser("rehash-iin", help="recompute IIN hashes, newest key")
        rehash.add_argument("--batch-size", type=int, default=500)
        commands.add_parser("generate-key", help="print a new random data key")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "generate-key":
            self.stdout.write(Fernet.generate_key().decode())
        elif subcommand == "rehash-iin":
            seen, changed = rehash_iins(batch_size=options["batch_size"])
            self.stdout.write(f"IIN hashes: {seen} children with an IIN, {changed} re-hashed")
        else:
            self._rotate(check=options["check"], batch_size=options["batch_size"])

    def _rotate(self, *, check: bool, batch_size: int) -> None:
        self.stdout.write(f"{data_keys().count} data key(s) configured, newest first")
        counts = rotate(write=not check, batch_size=batch_size, progress=self._line)
        older = sum(c.older for c in counts)
        unreadable = sum(c.unreadable for c in counts)
        rewritten = sum(c.rewritten for c in counts)
        values = sum(c.values for c in counts)
        if check:
            self.stdout.write(
                f"total: {values} values, {older} under older keys, {unreadable} unreadable"
            )
        else:
            self.stdout.write(
                f"total: {values} values, {rewritten} re-encrypted, {unreadable} unreadable"
            )
        if unreadable:
            raise CommandError(
                f"{unreadable} values open with no configured key: was a key removed too early?",
                returncode=1,
            )
        if check and older:
            raise CommandError(f"{older} values still under older keys", returncode=1)

    def _line(self, count: ColumnCount) -> None:
        if count.values:
            self.stdout.write(
                f"  {count.label}: {count.values} values found, {count.newest} under the "
                f"newest key, {count.older} under older keys, {count.unreadable} unreadable; "
                f"{count.rewritten} re-encrypted"
            )
