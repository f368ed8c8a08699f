"""Benchmark: the pages of issue 7 against the production server, at a seeded size.

Usage::

    DATABASE_URL=postgres://.../qorgau_seed_100k python bench/scale_bench.py \\
        [--port 8183] [--runs 100] [--seconds 20] [--concurrency 1,4,16,50]

Starts `qorgau serve` (gunicorn, DEBUG off, psycopg pool) on 127.0.0.1:PORT against
the seeded database (`qorgau seed`), logs demo users in with password and TOTP
(`demo.second_factor`), then measures on the loopback only:

1. each page alone, `--runs` times after `--warmup` untimed requests: name search
   (Cyrillic, Latin, IIN, rare, common, no match), my work, a case page, a child
   page, statistics; p50/p95 of
   the client's time, of the server's and of its SQL (the server's Server-Timing
   header, QORGAU_BENCH_TIMING=1: qorgau.ops.timing);
2. a closed-loop mixed load of logged-in users at each concurrency, `--seconds`
   each: caseworkers each on their own work, case, child and two searches, one user
   in ten an analyst on the statistics; req/s, p50/p95/p99, errors; with the access
   log on and again off (QORGAU_BENCH_AUDIT_OFF=1, honoured outside production only).

The load average of the machine (shared) is written beside each figure.

Results: ``bench/results/scale-<date>.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from common import cpu_model

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
QORGAU = str(Path(sys.executable).parent / "qorgau")
SERVER_LOG = Path(tempfile.gettempdir()) / "qorgau-scale-server.log"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMING = re.compile(r"(\w+);dur=([\d.]+)")


def load() -> float:
    return round(os.getloadavg()[0], 1)


class Session:
    """One logged-in user over one keep-alive connection; cookies kept by hand."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.timing: dict[str, float] = {}  # the last response's Server-Timing, ms
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                break
            except (http.client.HTTPException, OSError):
                # The server closes idle keep-alive connections (gunicorn: 2 s): again.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        text = response.read().decode("utf-8", "replace")
        self.timing = {
            k: float(v) for k, v in TIMING.findall(response.headers.get("Server-Timing", ""))
        }
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def login(self, username: str, password: str, code: str) -> None:
        _, page = self.request("GET", "/login/")
        token = CSRF.search(page).group(1)
        status, _ = self.request(
            "POST",
            "/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": token},
        )
        if status != 302:
            raise RuntimeError(f"{username}: login answered {status}")
        _, page = self.request("GET", "/account/2fa/verify/")
        token = CSRF.search(page).group(1)
        status, _ = self.request(
            "POST", "/account/2fa/verify/", {"token": code, "csrfmiddlewaretoken": token}
        )
        if status != 302:
            raise RuntimeError(f"{username}: second factor answered {status}")


def percentiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)

    return {"n": len(ordered), "p50": at(0.5), "p95": at(0.95), "p99": at(0.99)}


def targets() -> dict[str, object]:
    """Paths to ask for, from the seeded data (run in this process, Django set up)."""
    from qorgau.accounts.models import User
    from qorgau.cases.models import Case
    from qorgau.children.models import Child
    from qorgau.demo.second_factor import ensure_demo_authenticators

    ensure_demo_authenticators()  # `qorgau seed` leaves them to `qorgau demo`
    worker = User.objects.get(username="caseworker.pavlodar")
    case = Case.objects.filter(worker=worker).order_by("-opened_at").first()
    child = case.children.order_by("pk").first()
    workers = []  # (username, their newest case, a child of it)
    for user in User.objects.filter(username__regex=r"^caseworker[0-9]*\.").order_by("pk"):
        own = Case.objects.filter(worker=user).order_by("-opened_at").first()
        kid = own.children.order_by("pk").first() if own else None
        if kid is not None:
            workers.append((user.username, f"/cases/{own.pk}/", f"/children/{kid.pk}/"))
        if len(workers) == 50:
            break
    analysts = list(
        User.objects.filter(username__startswith="analyst.")
        .order_by("pk")
        .values_list("username", flat=True)
    )
    with_iin = Child.objects.filter(place__kato__startswith="55").exclude(iin=None).first()
    rare = (
        Child.objects.filter(place__kato__startswith="55")
        .exclude(other_spelling="")
        .order_by("pk")
        .first()
    )
    return {
        "search": {
            "cyrillic": child.last_name,
            "latin": rare.other_spelling.split()[0],
            "iin": with_iin.iin,
            "rare": f"{rare.last_name} {rare.first_name}",
            "common": "Иван",
            "no match": "Щжфыв",
        },
        "case": f"/cases/{case.pk}/",
        "child": f"/children/{child.pk}/",
        "workers": workers,
        "analysts": analysts,
    }


def closed_loop(
    sessions: list[tuple[Session, list[str]]], seconds: float
) -> tuple[list[float], int, float]:
    """Each session asks for the next page of its cycle as soon as the last came back."""
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def loop(session: Session, cycle: list[str]) -> None:
        n = 0
        while time.monotonic() < stop:
            path = cycle[n % len(cycle)]
            n += 1
            started = time.perf_counter()
            try:
                ok = session.request("GET", path)[0] in (200, 404)
            except (OSError, http.client.HTTPException):
                ok = False
            with lock:
                times.append(time.perf_counter() - started)
                errors[0] += not ok

    started = time.monotonic()
    pool = [threading.Thread(target=loop, args=pair) for pair in sessions]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return times, errors[0], time.monotonic() - started


def start_server(port: int, audit: bool, workers: int, threads: int) -> subprocess.Popen:
    env = dict(os.environ, DJANGO_DEBUG="0", QORGAU_DB_POOL="1", QORGAU_BENCH_TIMING="1")
    env["QORGAU_BENCH_AUDIT_OFF"] = "0" if audit else "1"
    server = subprocess.Popen(  # noqa: S603 - our own command
        [
            QORGAU,
            "serve",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(SERVER_LOG, "a"),  # noqa: SIM115 - the server's, for a failed run
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if Session(port).request("GET", "/login/")[0] == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8183)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--label", default="", help="added to the results files' names")
    parser.add_argument("--workers", type=int, default=4, help="server processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per server process")
    parser.add_argument(
        "--warmup", type=int, default=8, help="requests of each page before it is timed"
    )
    parser.add_argument("--concurrency", default="1,4,16,50")
    parser.add_argument(
        "--skip-statistics",
        action="store_true",
        help="leave the national statistics page out (alone, and the analysts of the mix)",
    )
    parser.add_argument("--audit", choices=["both", "on", "off"], default="both")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from qorgau.demo.credentials import DEMO_PASSWORD
    from qorgau.demo.second_factor import demo_code

    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only: DATABASE_URL of a seeded database")
    # The server reads its own settings: it must count access like the app does.
    sys.path.insert(0, str(ROOT / "src"))
    plan = targets()
    report: dict[str, object] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "database": settings.DATABASES["default"]["NAME"],
        "workers": args.workers,
        "threads": args.threads,
        "children": __import__("qorgau.children.models", fromlist=["Child"]).Child.objects.count(),
    }

    def logged_in(username: str) -> Session:
        session = Session(args.port)
        session.login(username, DEMO_PASSWORD, demo_code(username))
        return session

    pages: dict[str, str] = {
        f"search {kind}": "/children/?" + urlencode({"q": text})
        for kind, text in plan["search"].items()
    }
    pages.update({"my work": "/", "case": plan["case"], "child": plan["child"], "statistics": ""})
    if args.skip_statistics:
        del pages["statistics"]
        plan["analysts"] = []
    halves = {"both": (True, False), "on": (True,), "off": (False,)}[args.audit]
    for audit in halves:
        server = start_server(args.port, audit, args.workers, args.threads)
        try:
            alone: dict[str, object] = {}
            me = logged_in("caseworker.pavlodar")
            analyst = logged_in("analyst.pavlodar")
            for name, path in pages.items():
                user, path = (analyst, "/statistics/") if name == "statistics" else (me, path)
                # Each of the server's workers compiles the page's templates and
                # fills its caches on its first requests: not what a page costs.
                for _ in range(args.warmup):
                    user.request("GET", path)
                times, app, sql = [], [], []
                before = load()
                for _ in range(args.runs):
                    started = time.perf_counter()
                    status, _ = user.request("GET", path)
                    times.append(time.perf_counter() - started)
                    app.append(user.timing.get("app", 0) / 1000)
                    sql.append(user.timing.get("sql", 0) / 1000)
                    if status != 200:
                        raise RuntimeError(f"{name}: {status}")
                alone[name] = percentiles(times) | {
                    "server": percentiles(app),
                    "sql": percentiles(sql),
                    "load": [before, load()],
                }
                print(audit, name, alone[name], flush=True)
            mixed = []
            levels = [int(c) for c in args.concurrency.split(",")]
            sessions = []  # logged in once, each with its own cycle of pages
            for i in range(max(levels)):
                if i % 10 == 9 and plan["analysts"]:
                    username = plan["analysts"][i // 10 % len(plan["analysts"])]
                    cycle = ["/statistics/", pages["search cyrillic"]]
                else:
                    username, case, child = plan["workers"][i % len(plan["workers"])]
                    cycle = ["/", case, child, pages["search cyrillic"], pages["search common"]]
                sessions.append((logged_in(username), cycle))
            for level in levels:
                before = load()
                times, errors, elapsed = closed_loop(sessions[:level], args.seconds)
                row = {"concurrency": level, "rps": round(len(times) / elapsed, 1)}
                row |= percentiles(times) | {"errors": errors, "load": [before, load()]}
                mixed.append(row)
                print(audit, row, flush=True)
            report["access log on" if audit else "access log off"] = {
                "alone": alone,
                "mixed": mixed,
            }
        finally:
            server.terminate()
            server.wait(timeout=60)
    day = str(report["date"])[:10]
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = f"scale-{day}-{report['database']}{'-' + args.label if args.label else ''}"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2, default=str))
    lines = [
        f"# Scale benchmark, {report['date']}",
        "",
        f"{report['cpu']}, {report['cores']} cores (shared), database {report['database']} "
        f"({report['children']} children); gunicorn {report['workers']} workers x "
        f"{report['threads']} threads on the loopback. "
        "Times in ms: client (request to last byte), server (the view and middleware, "
        "Server-Timing), SQL (its queries).",
    ]
    for key in ("access log on", "access log off"):
        if key not in report:
            continue
        data = report[key]
        lines += [
            "",
            f"## {key}",
            "",
            "| page | n | client p50 | client p95 | server p50 | server p95 | SQL p50 | SQL p95 "
            "| load avg |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|",
        ]
        lines += [
            f"| {n} | {v['n']} | {v['p50']} | {v['p95']} | {v['server']['p50']} | "
            f"{v['server']['p95']} | {v['sql']['p50']} | {v['sql']['p95']} | "
            f"{v['load'][0]}-{v['load'][1]} |"
            for n, v in data["alone"].items()
        ]
        lines += [
            "",
            "| users | req/s | p50 ms | p95 ms | p99 ms | errors | load avg |",
            "|---:|---:|---:|---:|---:|---:|---|",
        ]
        lines += [
            f"| {r['concurrency']} | {r['rps']} | {r['p50']} | {r['p95']} | {r['p99']} | "
            f"{r['errors']} | {r['load'][0]}-{r['load'][1]} |"
            for r in data["mixed"]
        ]
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
