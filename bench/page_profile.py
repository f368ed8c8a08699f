"""Where a page's time goes: cProfile of one page, in-process, on a seeded database.

Usage::

    DATABASE_URL=postgres://.../qorgau_seed_1m python bench/page_profile.py / \\
        [--user caseworker.pavlodar] [--runs 30] [--top 40] [--sort tottime]

Logs the user in through Django's test client (second factor marked as done), asks
for the path once to warm the caches, then `--runs` times under cProfile (DEBUG off,
the server's middleware, the access log on), and prints the wall and CPU time per
request (the CPU time is what a shared machine inflates least), its queries and their
time, and the functions that took the most. A tool for finding what to fix; the
figures to compare come from bench/scale_bench.py.
"""

import argparse
import cProfile
import io
import os
import pstats
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--user", default="caseworker.pavlodar")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--queries", action="store_true", help="print the page's queries")
    parser.add_argument("--save", help="write the profile to this file (pstats)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY

    from qorgau.accounts.models import User
    from qorgau.demo.second_factor import ensure_demo_authenticators

    ensure_demo_authenticators()
    user = User.objects.get(username=args.user)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
    session.save()
    response = client.get(args.path)
    if response.status_code != 200:
        raise SystemExit(f"{args.path}: {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        client.get(args.path)
        once = time.perf_counter() - started
    sql = sum(float(q["time"]) for q in queries)
    print(f"{args.path}: {once * 1000:.1f} ms, {len(queries)} queries, {sql * 1000:.1f} ms SQL")
    if args.queries:
        for q in queries:
            print(f"{float(q['time']) * 1000:7.1f}  {q['sql']}")
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(args.runs):
        client.get(args.path)
    cpu, wall = (time.process_time() - cpu) / args.runs, (time.perf_counter() - wall) / args.runs
    print(f"without the profiler: {wall * 1000:.1f} ms per request, {cpu * 1000:.1f} ms of CPU")
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for _ in range(args.runs):
        client.get(args.path)
    profile.disable()
    elapsed = (time.perf_counter() - started) / args.runs
    print(f"under the profiler: {elapsed * 1000:.1f} ms per request, load {os.getloadavg()[0]}")
    if args.save:
        profile.dump_stats(args.save)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
