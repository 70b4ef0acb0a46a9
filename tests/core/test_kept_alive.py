"""A body over MAX_CONTENT_LENGTH on a kept-alive gunicorn connection gets the 413 page, and the connection lives."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 1024 * 1024


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    """The production server as the README runs it (gthread, keep-alive), on 127.0.0.1, stopped after the tests."""
    port = _free_port()
    data = tmp_path_factory.mktemp("kept-alive")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}", "MAX_CONTENT_LENGTH": str(LIMIT),
           "LOG_LEVEL": "WARNING"}
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--workers", "1",
                                "--threads", "2", "--keep-alive", "30", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 response read from the socket (Content-Length framed, as the app answers)."""
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection instead of answering"
        buffer += chunk
    head, body = buffer.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, value in (line.split(":", 1) for line in lines[1:])}
    while len(body) < int(headers["content-length"]):
        body += sock.recv(65536)
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize("size", [2 * LIMIT, 20 * LIMIT])
def test_a_body_too_large_gets_the_413_page_and_the_connection_serves_the_next_request(gunicorn, size):
    with socket.create_connection(("127.0.0.1", gunicorn), timeout=20) as sock:
        sock.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: vi\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     + f"Content-Length: {size}\r\n\r\n".encode() + b"x" * size)
        status, headers, body = _response(sock)
        assert status == 413 and headers["content-type"].startswith("text/html")
        assert "Tệp hoặc dữ liệu gửi lên quá lớn" in body.decode("utf-8")
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert _response(sock)[0] == 200
