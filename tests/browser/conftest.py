"""A live server in its own process and database, and Playwright driving Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


LIVE_ENV: dict[str, str] = {}  # the live server's environment, filled by the live_server fixture


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"live server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("live server did not start")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Runs `flask lms setup` (migrations, fixture content, demo data) then serves on a free port."""
    data = tmp_path_factory.mktemp("live")
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{data / 'live.sqlite3'}", "FLASK_APP": "wsgi",
           "CONTENT_DIR": str(ROOT / "tests/fixtures/content"), "LOG_LEVEL": "WARNING",
           "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
    LIVE_ENV.update(env)
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "lms", "setup"], cwd=ROOT, env=env, check=True, capture_output=True)
    process = subprocess.Popen([*flask, "run", "--port", str(port), "--no-reload"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")  # ended after each module: its event loop must not outlive the browser tests
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A phone-sized page: most trainees study on a phone."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def live_env(live_server) -> dict[str, str]:
    """The live server's environment (DATABASE_URL...), for test-only setup run in a subprocess."""
    return dict(LIVE_ENV)
