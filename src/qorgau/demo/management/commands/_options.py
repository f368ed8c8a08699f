"""Options and output shared by `seed` and `demo`."""

import datetime as dt
import time
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from qorgau.accounts.models import User
from qorgau.cases.models import Case, Report
from qorgau.children.models import Child
from qorgau.demo.builder import build_demo, delete_demo, demo_exists
from qorgau.demo.credentials import DEMO_PASSWORD
from qorgau.demo.geography import PERSONA_REGIONS, REGIONS
from qorgau.demo.personas import personas
from qorgau.demo.second_factor import demo_key_base32
from qorgau.places.models import Place

DEFAULT_CHILDREN = 2000
DEFAULT_SEED = 2026


def add_build_arguments(parser: CommandParser, *, default_children: int | None) -> None:
    parser.add_argument(
        "--children", type=int, default=default_children, help="number of children to invent"
    )
    parser.add_argument(
        "--reports", type=int, default=None, help="number of reports (default: 1.5 per child)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    parser.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=None,
        help="last day of the data, YYYY-MM-DD (default: today); fix it to reproduce data",
    )
    parser.add_argument(
        "--reset", action="store_true", help="delete an existing demo dataset and rebuild it"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="processes building chunks of children in parallel (PostgreSQL only)",
    )


def dataset_summary() -> str:
    return (
        f"{Child.objects.count()} children, {Report.objects.count()} reports, "
        f"{Case.objects.count()} cases"
    )


def build(command: BaseCommand, options: dict[str, Any]) -> Counter[str]:
    if options["children"] is None or options["children"] < 1:
        raise CommandError("--children must be a positive number.")
    started = time.monotonic()
    if options["reset"] and demo_exists():
        delete_demo()
        command.stdout.write(
            f"Deleted the previous demo dataset ({time.monotonic() - started:.1f} s)."
        )
    counts = build_demo(
        children=options["children"],
        seed=options["seed"],
        today=options["today"],
        reports=options["reports"],
        jobs=max(1, options["jobs"]),
    )
    elapsed = time.monotonic() - started
    summary = ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in counts.items())
    command.stdout.write(
        command.style.SUCCESS(
            f"Built the demo dataset (seed {options['seed']}) in {elapsed:.1f} s:"
        )
    )
    command.stdout.write(f"  {summary}")
    return counts


def login_rows() -> list[tuple[str, str, str, str, str]]:
    """username, role, organisation, region, password of the personas to try first."""
    wanted = [p.username for p in personas() if p.region in PERSONA_REGIONS or not p.region]
    users = User.objects.filter(username__in=wanted).select_related("organisation__place")
    by_name = {u.username: u for u in users}
    regions = {p.region_code: p.name_en for p in Place.objects.filter(parent__isnull=True)}
    rows = []
    for username in wanted:
        user = by_name.get(username)
        if user is None:
            continue
        org = user.organisation
        region = regions.get(org.place.region_code, "") if org else "-"
        rows.append(
            (username, user.get_role_display(), org.name if org else "-", region, DEMO_PASSWORD)
        )
    return rows


def write_logins(command: BaseCommand) -> None:
    header = ("username", "role", "organisation", "region", "password")
    with translation.override("en"):  # the command speaks English throughout
        rows = [header, *login_rows()]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    command.stdout.write("")
    command.stdout.write(
        "Demo logins (synthetic users; DEMO CREDENTIAL, never use it for real data):"
    )
    for n, row in enumerate(rows):
        command.stdout.write("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
        if n == 0:
            command.stdout.write(line)
    others = ", ".join(r.slug for r in REGIONS if r.code not in PERSONA_REGIONS)
    command.stdout.write(
        "\nEvery other region has caseworker.<region>, caseworker2.<region>, "
        f"coordinator.<region> and supervisor.<region> with the same password; regions: {others}."
    )
    command.stdout.write(
        "\nSecond factor: after the password, staff are asked for a 6-digit code. Get it with\n"
        "  qorgau demo_code caseworker.pavlodar     (or .venv/bin/qorgau demo_code ...)\n"
        f"or type the demo key {demo_key_base32()} into an authenticator app "
        "(analysts need no code)."
    )
