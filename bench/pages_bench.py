"""Query counts and response times of the main pages on the full demo dataset.

Builds the demo (2,000 children, 3,076 reports) in a temporary folder, logs in as the
people who use each page (second factor completed), and requests each page `--repeat`
times after one warm-up. Query counts are exact; times are medians (the machine is
shared: compare ratios, not single figures). Appends to bench/results/pages-<date>.md;
run it at two sizes to see that query counts do not grow with the data.

    .venv/bin/python bench/pages_bench.py --children 500
    .venv/bin/python bench/pages_bench.py --children 2000
"""

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from common import cpu_model

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--children", type=int, default=2000, help="size of the dataset")
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="qorgau-bench-")
    os.environ["QORGAU_VAR_DIR"] = var
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from qorgau.access import cases_visible_to
    from qorgau.accounts.models import User

    call_command("migrate", verbosity=0)
    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("seed", children=args.children, seed=2026, verbosity=0, stdout=quiet)
    call_command("demo", verbosity=0, stdout=quiet)  # adds the survey; the data is there

    def client_for(username: str) -> tuple[Client, User]:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user).first()
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client, user

    worker, worker_user = client_for("caseworker.pavlodar")
    supervisor, _ = client_for("supervisor.pavlodar")
    analyst, _ = client_for("analyst.national")
    case = cases_visible_to(worker_user).filter(worker=worker_user, status="active").first()
    assert case is not None
    child = case.children.first()
    report = case.reports.first()
    pages = [
        ("caseworker", worker, "/"),
        ("supervisor", supervisor, "/"),
        ("supervisor", supervisor, "/approvals/"),
        ("caseworker", worker, case.get_absolute_url()),
        ("caseworker", worker, child.get_absolute_url()),
        ("caseworker", worker, report.get_absolute_url()),
        ("caseworker", worker, "/children/?q=aigerim"),
        ("caseworker", worker, f"/cases/{case.pk}/history/"),
        ("supervisor", supervisor, "/statistics/"),
        ("national analyst", analyst, "/statistics/"),
        ("national analyst", analyst, "/surveys/mics-2024-synthetic/"),
        ("caseworker", worker, "/api/v1/cases/"),
    ]
    rows = []
    for who, client, path in pages:
        client.get(path)
        # The query log is a capped deque that building the demo filled: empty it, or
        # its length would not change and the capture would count nothing.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        rows.append((who, path, status, len(queries), statistics.median(times), min(times)))

    cpu = cpu_model()
    today = timezone.localdate().isoformat()
    lines = [
        f"## {args.children} children, {today}",
        "",
        f"Machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite, DEBUG on (development server settings), {args.repeat} requests per page.",
        "",
        "| who | page | status | queries | median ms | best ms |",
        "|---|---|---|---|---|---|",
    ]
    for who, path, status, count, median, best in rows:
        lines.append(f"| {who} | `{path}` | {status} | {count} | {median:.1f} | {best:.1f} |")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"pages-{today}.md"
    with out.open("a", encoding="utf-8") as fh:  # one section per size
        fh.write("\n".join(lines) + "\n\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
