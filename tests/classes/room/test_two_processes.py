"""Two Socket.IO server processes sharing a local Redis: an event emitted through one reaches a client of the other.

Starts `redis-server` on a free port (scripts/system-deps.sh installs it); skipped with the reason when it is
absent, failed when CI is set. Each server is `flask lms room serve` (gunicorn, one threaded worker).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from lms.demo import DEMO_CLASS
from tests.browser.conftest import ROOT, _free_port

DEMO_PASSWORD = "hoc-iso-2026"


def _need_redis() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    message = "redis-server is not installed: run `make system-deps` (scripts/system-deps.sh installs it)"
    if os.environ.get("CI"):
        pytest.fail(message + "; CI is set, so its absence fails the run")
    pytest.skip(message)


def _wait_for(check, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start")


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url + "/healthz", timeout=2)
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    server = _need_redis()
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)

    def up() -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    try:
        _wait_for(up, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def two_servers(redis_url, tmp_path_factory):
    data = tmp_path_factory.mktemp("two")
    ports = [_free_port(), _free_port()]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{data / 'room.sqlite3'}", "FLASK_APP": "wsgi",
           "CONTENT_DIR": str(ROOT / "tests/fixtures/content"), "LOG_LEVEL": "WARNING", "REDIS_URL": redis_url,
           "PUBLIC_BASE_URL": f"http://127.0.0.1:{ports[0]}"}
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "lms", "setup"], cwd=ROOT, env=env, check=True, capture_output=True)
    processes = [subprocess.Popen([*flask, "lms", "room", "serve", "--port", str(port), "--threads", "16"], cwd=ROOT,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for port in ports]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url, process in zip(urls, processes, strict=True):
            _wait_for(lambda url=url, process=process: process.poll() is None and _answers(url), url)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def logged_in_cookie(url: str, username: str) -> str:
    import requests

    http = requests.Session()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', http.get(url + "/login").text).group(1)
    answer = http.post(url + "/login", data={"csrf_token": token, "identifier": username, "password": DEMO_PASSWORD},
                       allow_redirects=False)
    assert answer.status_code == 302, answer.text[:300]
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def demo_class_id(url: str, cookie: str) -> int:
    import requests

    page = requests.get(url + "/classes", headers={"Cookie": cookie}).text
    return int(re.search(r'href="/classes/(\d+)">' + re.escape(DEMO_CLASS) + "<", page).group(1))


def socket_client(url: str, cookie: str, origin: str):
    """A client as a browser on the public site sends it (behind nginx every process has one public origin)."""
    import socketio

    client = socketio.Client(reconnection=False, websocket_extra_options={"origin": origin})
    client.connect(url, headers={"Cookie": cookie}, transports=["websocket"], wait_timeout=10)
    return client


def test_an_event_through_one_process_reaches_a_client_of_the_other(two_servers):
    first, second = two_servers
    trainer_cookie = logged_in_cookie(first, "giangvien")
    class_id = demo_class_id(first, trainer_cookie)
    trainee = socket_client(second, logged_in_cookie(second, "hocvien01"), first)
    trainer = socket_client(first, trainer_cookie, first)
    heard, arrived = [], threading.Event()

    @trainee.on("announcement")
    def on_announcement(data):
        heard.append(data)
        arrived.set()

    try:
        assert trainee.call("join", {"class_id": class_id}, timeout=10)["ok"]
        assert trainer.call("join", {"class_id": class_id}, timeout=10)["state"]["staff"]
        # presence is shared too: the trainer on the first process sees the trainee connected to the second
        state = trainer.call("state", {"class_id": class_id}, timeout=10)["state"]
        assert len([r for r in state["rows"] if r["connected"]]) == 1
        answer = trainer.call("announce", {"class_id": class_id, "text": "Chào cả lớp"}, timeout=10)
        assert answer["ok"], answer
        assert arrived.wait(5), "the announcement did not cross to the other process"
        assert heard[0]["text"] == "Chào cả lớp"
    finally:
        trainee.disconnect()
        trainer.disconnect()
