"""The live room beside bench/exam_peak.py (--room): every simulated trainee also holds a Socket.IO connection.

What it adds to a run: a local `redis-server` on a free port shared by gunicorn and the room's own socket server
(`flask lms room serve`), as in production (deploy/); after the log-ins, one python-socketio client per trainee
(WebSocket, the trainee's own session cookie) in its class's room, and an administrator watching every class
room, so that every start, save and submit also computes and pushes the trainer's live row (lms.hooks).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WATCHER = "giamsat.dotai"


@dataclass
class RoomSide:
    redis: subprocess.Popen
    server: subprocess.Popen
    env: dict  # REDIS_URL and SECRET_KEY, shared with gunicorn
    port: int
    clients: list = field(default_factory=list)
    rows_seen: int = 0
    batches_seen: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(database_url: str, web_port: int, secret_key: str, trainees: int, log_path: Path) -> RoomSide:
    """redis-server and the socket server; gunicorn must be started with the returned env."""
    server = shutil.which("redis-server")
    if not server:
        raise SystemExit("--room needs redis-server (scripts/system-deps.sh installs it)")
    redis_port, port = free_port(), free_port()
    redis = subprocess.Popen([server, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {"REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "SECRET_KEY": secret_key}
    full_env = {**os.environ, **env, "DATABASE_URL": database_url, "FLASK_APP": "wsgi", "LOG_LEVEL": "WARNING",
                "PUBLIC_BASE_URL": f"http://127.0.0.1:{web_port}", "SESSION_COOKIE_SECURE": "0"}
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen([sys.executable, "-m", "flask", "lms", "room", "serve", "--port", str(port),
                                "--threads", str(trainees + 100)], cwd=ROOT, env=full_env, stdout=log,
                               stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return RoomSide(redis, process, env, port)
        except OSError:
            time.sleep(0.2)
    stop(RoomSide(redis, process, env, port))
    raise SystemExit("the room's socket server did not answer within 60 s")


def add_watcher(database_url: str) -> None:
    """An administrator who watches every class room (set up before gunicorn starts)."""
    from sqlalchemy import create_engine, insert, select

    from lms.auth.models import Role, User
    from lms.db import utcnow
    from lms.text import fold

    engine = create_engine(database_url)
    with engine.begin() as connection:
        # the trainees' one precomputed hash of the same password (the bench sets every account's password)
        password_hash = connection.scalar(select(User.password_hash).where(User.role == Role.TRAINEE.value).limit(1))
        if connection.scalar(select(User.id).where(User.username == WATCHER)) is None:
            connection.execute(insert(User), [{
                "username": WATCHER, "email": None, "phone": None, "password_hash": password_hash,
                "role": Role.ADMIN.value, "full_name": "Giám sát đo tải", "full_name_folded": fold("Giám sát đo tải"),
                "position": "", "organising_body_id": None, "active": True, "must_change_password": False,
                "session_token": "watcher-" + str(int(time.time())), "created_at": utcnow()}])
    engine.dispose()


def _client(side: RoomSide, web_port: int, cookie: str):
    import socketio

    client = socketio.Client(reconnection=False, websocket_extra_options={"origin": f"http://127.0.0.1:{web_port}"})
    client.connect(f"http://127.0.0.1:{side.port}", headers={"Cookie": cookie}, transports=["websocket"],
                   wait_timeout=30)
    return client


def connect(side: RoomSide, database_url: str, web_port: int, trainees, password: str) -> dict:
    """One socket per logged-in trainee in its class's room, and the watcher in every room; returns timings."""
    import requests
    from sqlalchemy import create_engine, select

    from lms.classes.models import Enrolment

    engine = create_engine(database_url)
    with engine.connect() as connection:
        class_of = dict(connection.execute(select(Enrolment.user_id, Enrolment.class_id)).all())
    engine.dispose()
    began = time.perf_counter()

    def one(trainee) -> None:
        cookie = "; ".join(f"{k}={v}" for k, v in trainee.conn.cookies.items())
        client = _client(side, web_port, cookie)
        answer = client.call("join", {"class_id": class_of[trainee.user_id]}, timeout=60)
        if not answer or not answer.get("ok"):
            raise RuntimeError(f"join refused: {answer}")
        with side.lock:
            side.clients.append(client)

    with ThreadPoolExecutor(16) as pool:
        for done in [pool.submit(one, t) for t in trainees if t.csrf]:
            done.result()
    connected_seconds = time.perf_counter() - began

    if os.environ.get("ROOM_LOAD_NO_WATCHER"):  # experiment: sockets connected, nobody watching
        return {"sockets": len(side.clients), "connect_seconds": round(connected_seconds, 1), "watcher": False}
    http = requests.Session()
    page = http.get(f"http://127.0.0.1:{web_port}/login").text
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    http.post(f"http://127.0.0.1:{web_port}/login", allow_redirects=False,
              data={"csrf_token": token, "identifier": WATCHER, "password": password})
    watcher = _client(side, web_port, "; ".join(f"{c.name}={c.value}" for c in http.cookies))

    def seen(batch) -> None:
        with side.lock:
            side.rows_seen += len(batch["rows"])
            side.batches_seen += 1

    watcher.on("live_rows", seen)
    for class_id in sorted(set(class_of.values())):
        assert watcher.call("join", {"class_id": class_id}, timeout=60)["ok"]
    side.clients.append(watcher)
    side.rows_seen = side.batches_seen = 0
    return {"sockets": len(side.clients) - 1, "connect_seconds": round(connected_seconds, 1)}


def stop(side: RoomSide) -> dict:
    for client in side.clients:
        with contextlib.suppress(Exception):  # a client the server already dropped
            client.disconnect()
    for process in (side.server, side.redis):
        process.terminate()
    for process in (side.server, side.redis):
        process.wait(timeout=15)
    return {"live_rows_pushed_to_the_watcher": side.rows_seen, "in_batches": side.batches_seen}
