"""What every benchmark here needs: the machine it ran on, and one run per database.

The scripts run as `python bench/<name>.py`, so this module imports as `common`.
"""

import json
import os
import platform
import subprocess
import sys
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run_per_database(script: str, argv: list[str]) -> list[dict]:
    """Run `script --child ARGV` on SQLite, and on PostgreSQL too when DATABASE_URL is
    set, each in its own process (its own settings), and collect the JSON each prints
    last."""
    environments = [{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}]
    if os.environ.get("DATABASE_URL"):
        environments.append(dict(os.environ))
    runs = []
    for env in environments:
        env["DJANGO_DEBUG"] = "0"
        # Our own script, with our own arguments.
        output = subprocess.run(  # noqa: S603
            [sys.executable, script, "--child", *argv],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(output.stdout.strip().splitlines()[-1]))
    return runs
