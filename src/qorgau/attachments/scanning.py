"""The virus check of an upload: ClamAV's daemon (clamd) over its INSTREAM command.

QORGAU_VIRUS_SCAN names the daemon: "unix:///run/clamav/clamd.ctl" or "tcp://host:3310".
Empty (the demo and development): no check, and each attachment says it was not
checked. Configured but unreachable: the upload is refused, never stored unchecked.

The protocol is clamd's own (man clamd, "INSTREAM"): the command, then the content in
chunks each led by its length as 4 bytes big-endian, a zero length to end; the daemon
answers "stream: OK" or "stream: <signature> FOUND".
"""

import socket
import struct
from urllib.parse import urlsplit

from django.conf import settings

_CHUNK = 64 * 1024
_TIMEOUT_SECONDS = 30


class VirusFound(Exception):
    def __init__(self, signature: str) -> None:
        super().__init__(signature)
        self.signature = signature


class ScannerUnavailable(Exception):
    pass


def scanner_configured() -> bool:
    return bool(settings.QORGAU_VIRUS_SCAN)


def _connect(address: str) -> socket.socket:
    parts = urlsplit(address)
    if parts.scheme == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target: str | tuple[str, int] = parts.path
    elif parts.scheme == "tcp" and parts.hostname:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        target = (parts.hostname, parts.port or 3310)
    else:
        raise ScannerUnavailable(f"QORGAU_VIRUS_SCAN: not unix:// or tcp:// ({parts.scheme})")
    sock.settimeout(_TIMEOUT_SECONDS)
    sock.connect(target)
    return sock


def scan(data: bytes) -> None:
    """Raise VirusFound or ScannerUnavailable; return when clamd says the data is clean."""
    try:
        with _connect(settings.QORGAU_VIRUS_SCAN) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), _CHUNK):
                chunk = data[start : start + _CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                received = sock.recv(4096)
                if not received:
                    break
                answer += received
    except OSError as exc:
        raise ScannerUnavailable(str(exc)) from exc
    text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    if text.endswith("FOUND"):
        raise VirusFound(text.removeprefix("stream:").removesuffix("FOUND").strip())
    if not text.endswith("OK"):
        raise ScannerUnavailable(f"clamd answered: {text[:200]}")
