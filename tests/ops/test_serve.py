"""`qorgau serve` runs gunicorn; in production WhiteNoise serves the collected static
files compressed and cached for a year, and pages keep their Content-Security-Policy."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from qorgau.ops.management.commands.serve import default_workers, gunicorn_argv

PORT = 8181  # this project's test range for servers
QORGAU = str(Path(sys.executable).parent / "qorgau")


def test_the_server_is_gunicorn_with_threads_and_bounded_workers():
    argv = gunicorn_argv(bind="127.0.0.1:9", workers=3, threads=4, timeout=60)
    assert argv[1:4] == ["-m", "gunicorn", "qorgau.wsgi:application"]
    assert {"--worker-class=gthread", "--threads=4", "--workers=3"} <= set(argv)
    assert any(a.startswith("--max-requests=") for a in argv)
    assert default_workers() == 2 * (os.cpu_count() or 1) + 1


def _production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "QORGAU_"))}
    env.update(
        QORGAU_ENV="production",
        QORGAU_VAR_DIR=str(tmp_path),
        DJANGO_SECRET_KEY="test-" + "s" * 60,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        QORGAU_AUDIT_KEY="test-audit-key-" + "a" * 32,
        QORGAU_DATA_KEYS=Fernet.generate_key().decode(),
        QORGAU_IIN_HASH_KEY="test-iin-hash-key-" + "h" * 32,
        QORGAU_SSL_REDIRECT="0",
    )
    return env


def _wait_for(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped: {server.stderr.read()!r}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def _get(path: str, **headers: str) -> http.client.HTTPResponse:
    # The first page loads the URLs and templates: slow on a busy machine.
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.fixture
def production_server(tmp_path):
    env = _production_env(tmp_path)
    subprocess.run([QORGAU, "collectstatic", "--no-input", "-v0"], env=env, check=True)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603
        [QORGAU, "serve", f"--bind=127.0.0.1:{PORT}", "--workers=1", "--threads=2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(PORT, server)
        yield tmp_path / "static"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_static_files_are_compressed_hashed_and_cached_for_a_year(production_server):
    manifest = json.loads((production_server / "staticfiles.json").read_text())["paths"]
    name = next(n for n in manifest if n.endswith(".css"))
    response = _get(f"/static/{manifest[name]}", **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    cache = response.getheader("Cache-Control")
    assert "immutable" in cache and "max-age=315360000" in cache
    assert _get(f"/static/{name}").getheader("Cache-Control") != cache  # unhashed: short


def test_pages_from_the_production_server_keep_their_security_headers(production_server):
    response = _get("/login/")
    assert response.status == 200
    assert "default-src 'self'" in response.getheader("Content-Security-Policy")
    assert response.getheader("X-Frame-Options") == "DENY"
