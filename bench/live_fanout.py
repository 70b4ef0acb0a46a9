"""Live room fan-out: N clients in one class room; time from the trainer's "open test" to the last one hearing it.

Run by hand from the project root (see bench/README.md):

    .venv/bin/python bench/live_fanout.py --clients 200 --also 500

What it does, all on 127.0.0.1, stopping by itself:

1. a fresh SQLite database with `flask lms setup` (the demo body, trainer `giangvien`, class and 20 trainees);
2. the room's own server, `flask lms room serve` (gunicorn, one threaded worker), on a free port; the demo
   trainees log in through the real form and N Socket.IO clients (python-socketio, WebSocket) join the demo
   class's room, each trainee holding N/20 of them (a room counts sockets: a trainee's tabs each get the event);
3. the trainer's client sends "open_test" (the real command: checks, a new window with every first attempt
   drawn in advance, the audit line, the commit) and the time until the last of the N clients has received
   "test_opened" is measured on the same clock; then "close_test" (not measured); --runs times;
4. the same N clients against a bare python-socketio server in the same kind of process (gunicorn, one
   threaded worker) whose "go" handler only emits to the room: the floor of Socket.IO itself on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "hoc-iso-2026"
TRAINEES = [f"hocvien{i:02d}" for i in range(1, 21)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def bare_server(port: int, threads: int) -> None:
    """A plain python-socketio room in gunicorn (gthread, one worker): join, and "go" emits to the room."""
    import socketio
    from gunicorn.app.base import BaseApplication

    sio = socketio.Server(async_mode="threading")

    @sio.on("join")
    def join(sid, data):
        sio.enter_room(sid, "room")
        return {"ok": True}

    @sio.on("go")
    def go(sid, data):
        sio.emit("test_opened", {"n": data["n"]}, to="room")
        return {"ok": True}

    app = socketio.WSGIApp(sio, lambda environ, start: (start("200 OK", []), [b"ok"])[1])

    class Bare(BaseApplication):
        def load_config(self):
            for key, value in {"bind": f"127.0.0.1:{port}", "workers": 1, "worker_class": "gthread",
                               "threads": threads, "worker_connections": threads * 2, "timeout": 0,
                               "control_socket_disable": True}.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    Bare().run()


class Listener:
    """N clients; each records when it heard run number k."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.heard: dict[int, list[float]] = {}
        self.clients = []

    def note(self, run: int) -> None:
        at = time.perf_counter()
        with self.lock:
            self.heard.setdefault(run, []).append(at)

    def add(self, url: str, cookie: str | None, join: dict, run_of) -> None:
        import socketio

        client = socketio.Client(reconnection=False)
        client.on("test_opened", lambda data: self.note(run_of(data)))
        client.connect(url, headers={"Cookie": cookie} if cookie else {}, transports=["websocket"], wait_timeout=20)
        answer = client.call("join", join, timeout=20)
        assert answer and answer.get("ok"), answer
        with self.lock:
            self.clients.append(client)

    def close(self) -> None:
        for client in self.clients:
            client.disconnect()


def connect_all(listener: Listener, clients: int, arguments) -> None:
    """Connect and join the clients, 16 at a time (not measured)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(16) as pool:
        for done in [pool.submit(listener.add, *arguments(index)) for index in range(clients)]:
            done.result()


def wait_for(listener: Listener, run: int, count: int, timeout: float = 20) -> list[float]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with listener.lock:
            got = list(listener.heard.get(run, []))
        if len(got) >= count:
            return got
        time.sleep(0.001)
    raise RuntimeError(f"run {run}: {len(got)} of {count} clients heard it")


def log_in(url: str, username: str) -> str:
    import requests

    http = requests.Session()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', http.get(url + "/login").text).group(1)
    done = http.post(url + "/login", data={"csrf_token": token, "identifier": username, "password": DEMO_PASSWORD},
                     allow_redirects=False)
    assert done.status_code == 302, done.text[:300]
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def summary(times: list[float]) -> dict:
    return {"median_ms": round(statistics.median(times) * 1000, 1), "max_ms": round(max(times) * 1000, 1)}


def measure_app(url: str, clients: int, runs: int) -> dict:
    import requests
    import socketio

    trainer_cookie = log_in(url, "giangvien")
    class_id = int(re.search(r'href="/classes/(\d+)"',
                             requests.get(url + "/classes", headers={"Cookie": trainer_cookie}).text).group(1))
    cookies = [log_in(url, name) for name in TRAINEES]
    listener = Listener()  # each client notes when it heard which opening
    try:
        connect_all(listener, clients, lambda index: (url, cookies[index % len(cookies)], {"class_id": class_id},
                                                      lambda data: data["opening_id"]))
        trainer = socketio.Client(reconnection=False)
        trainer.connect(url, headers={"Cookie": trainer_cookie}, transports=["websocket"], wait_timeout=20)
        quiz = trainer.call("join", {"class_id": class_id}, timeout=30)["state"]["tests"][0]
        times = []
        for run in range(runs + 1):  # run 0 warms up (first draw of the test, caches) and is not counted
            started = time.perf_counter()
            answer = trainer.call("open_test", {"class_id": class_id, "quiz_id": quiz["id"], "minutes": 30},
                                  timeout=30)
            assert answer["ok"], answer
            got = wait_for(listener, answer["state"]["opening"]["id"], clients)
            if run:
                times.append(max(got) - started)
            assert trainer.call("close_test", {"class_id": class_id}, timeout=30)["ok"]
        trainer.disconnect()
        return summary(times)
    finally:
        listener.close()


def measure_bare(url: str, clients: int, runs: int) -> dict:
    import socketio

    listener = Listener()
    try:
        connect_all(listener, clients, lambda index: (url, None, {}, lambda data: data["n"]))
        trainer = socketio.Client(reconnection=False)
        trainer.connect(url, transports=["websocket"], wait_timeout=20)
        times = []
        for run in range(runs + 1):  # run 0 warms up and is not counted, as for the room
            started = time.perf_counter()
            trainer.call("go", {"n": run}, timeout=30)
            got = wait_for(listener, run, clients)
            if run:
                times.append(max(got) - started)
        trainer.disconnect()
        return summary(times)
    finally:
        listener.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--also", type=int, nargs="*", default=[500], help="more room sizes measured after it")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--bare-server", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=600, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        bare_server(args.bare_server, args.threads)
        return
    sizes = [args.clients, *args.also]
    threads = max(sizes) + 50
    results = []
    with tempfile.TemporaryDirectory() as folder:
        app_port, bare_port = free_port(), free_port()
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/fanout.sqlite3", "FLASK_APP": "wsgi",
               "LOG_LEVEL": "WARNING", "PUBLIC_BASE_URL": f"http://127.0.0.1:{app_port}"}
        env.pop("REDIS_URL", None)
        subprocess.run([sys.executable, "-m", "flask", "lms", "setup"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        servers = [
            subprocess.Popen([sys.executable, "-m", "flask", "lms", "room", "serve", "--port", str(app_port),
                              "--threads", str(threads)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL),
            subprocess.Popen([sys.executable, __file__, "--bare-server", str(bare_port), "--threads", str(threads)],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        ]
        try:
            app_url, bare_url = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{bare_port}"
            wait_up(app_url + "/healthz", servers[0])
            wait_up(bare_url + "/", servers[1])
            for size in sizes:
                room = measure_app(app_url, size, args.runs)
                bare = measure_bare(bare_url, size, args.runs)
                ratio = round(room["median_ms"] / bare["median_ms"], 2) if bare["median_ms"] else None
                results.append({"clients": size, "runs": args.runs, "room": room, "bare": bare,
                                "median_ratio": ratio})
                if not args.json:
                    print(f"{size} clients, {args.runs} runs: room median {room['median_ms']} ms, max "
                          f"{room['max_ms']} ms; bare python-socketio median {bare['median_ms']} ms, max "
                          f"{bare['max_ms']} ms; ratio of medians {ratio}", flush=True)
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(timeout=15)
    if args.json:
        print(json.dumps({"machine": os.cpu_count(), "results": results}, indent=2))


if __name__ == "__main__":
    main()
