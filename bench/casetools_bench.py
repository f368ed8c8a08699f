"""Benchmark: the printed case file (PDF) and attachments' encryption, on the demo data.

Usage: ``QORGAU_VAR_DIR=var python bench/casetools_bench.py [--rounds 5]`` after
``qorgau migrate && qorgau demo`` (SQLite ``$QORGAU_VAR_DIR/qorgau.sqlite3``).

* PDF: the case with the longest timeline, rendered by WeasyPrint (template + layout),
  median of the rounds;
* attachments: encrypting and decrypting 1 MiB and 10 MiB (the size limit) with the
  data keys, the cost an upload and a download add to reading the bytes.

Results go to ``bench/results/casetools-<date>.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from common import cpu_model

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")


def _median(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db.models import Count
    from django.template.loader import render_to_string
    from django.utils import timezone

    from qorgau.accounts.models import User
    from qorgau.casefile.selectors import case_file
    from qorgau.casefile.views import STYLESHEET
    from qorgau.cases.models import Case
    from qorgau.pdf import pdf_of
    from qorgau.protection.keys import decrypt_bytes, encrypt_bytes

    case = Case.objects.annotate(n=Count("timeline")).order_by("-n").first()
    if case is None:
        sys.exit("no cases: run `qorgau demo` first")
    user = User.objects.get(username=case.worker.username)
    entries = case.timeline.count()

    def html() -> str:
        context = {"file": case_file(case=case), "printed_by": user, "printed_at": timezone.now()}
        return render_to_string("casefile/case_pdf.html", context)

    page = html()
    pdf = pdf_of(page, stylesheet=STYLESHEET)
    today = dt.datetime.now(dt.UTC).date().isoformat()
    html_ms = _median(html, args.rounds) * 1000
    lines = [
        f"# Case file and attachments, {today}",
        "",
        f"Machine: {cpu_model()}, {os.cpu_count()} cores (shared), Python "
        f"{platform.python_version()}; demo data on SQLite; median of {args.rounds} rounds.",
        "",
        "| what | median |",
        "|---|---|",
        f"| case file HTML ({entries} timeline entries) | {html_ms:.0f} ms |",
        f"| case file PDF, HTML to PDF ({len(pdf) // 1024} KiB) | "
        f"{_median(lambda: pdf_of(page, stylesheet=STYLESHEET), args.rounds) * 1000:.0f} ms |",
    ]
    for size in (1, 10):
        data = os.urandom(size * 1024 * 1024)
        token = encrypt_bytes(data)
        enc = _median(lambda d=data: encrypt_bytes(d), args.rounds)
        dec = _median(lambda t=token: decrypt_bytes(t), args.rounds)
        lines.append(
            f"| attachment {size} MiB: encrypt / decrypt (token {len(token) / len(data):.2f}x) | "
            f"{enc * 1000:.0f} ms / {dec * 1000:.0f} ms |"
        )
    out = Path(__file__).parent / "results" / f"casetools-{today}.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
