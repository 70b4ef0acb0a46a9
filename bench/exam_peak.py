"""Exam peak: N trainees start the same 30-question test within a few seconds, save every answer, submit.

Run by hand from the project root (see bench/README.md):

    .venv/bin/python bench/exam_peak.py --trainees 1000

What it does, all on 127.0.0.1 and bounded in time:

1. prepares a fresh database (Alembic migrations, `content/` synced, N trainee accounts bulk-inserted with
   one precomputed Argon2id hash, one organising body, classes of up to 80 trainees of the course
   khai-niem-iso-9000, and the test kiem-tra-cuoi-khoa opened for every class from now on);
2. starts gunicorn (gthread) on a free port with that DATABASE_URL;
3. logs every trainee in through the real login form (production password hashing; not measured);
4. the exam: every trainee starts the test at a random moment within --ramp-seconds, then saves each of
   its 30 answers in its own request (the page's autosave: one save per answer, seq growing) with a
   pause of about --think-ms between answers, then submits; start, save and submit latencies are
   measured on the client;
5. /healthz throughput of the same server with the same number of connections, for a few seconds;
6. stops gunicorn and checks in the database that every answer acknowledged as applied is stored
   (position, answer, answer_seq) and that every attempt is closed and graded.

The client is plain asyncio speaking HTTP/1.1 with keep-alive: one connection per trainee.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

COURSE_SLUG = "khai-niem-iso-9000"
TEST_SLUG = "kiem-tra-cuoi-khoa"
PASSWORD = "thi-cuoi-khoa-2026"
CLASS_SIZE = 80
CSRF_INPUT = re.compile(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
REQUEST_TIMEOUT = 120.0

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Trịnh",
          "Phan", "Hồ", "Mai", "Tạ", "Cao", "Lương", "Đinh"]
MIDDLE = ["Thị", "Văn", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh", "Xuân", "Công", "Kim", "Hữu"]
GIVEN = ["Hương", "Nam", "Hà", "Tuấn", "Lan", "Anh", "Ánh", "Đức", "Mai", "Huy", "Ân", "Bình", "Yến", "Dũng",
         "Oanh", "Trường", "Tâm", "Lợi", "Phương", "Thành", "Hải", "Thu", "Giang", "Khánh", "Linh", "Sơn"]


# --------------------------------------------------------------------------- preparing the database


@dataclass
class Prepared:
    database_url: str
    quiz_id: int
    users: list[tuple[int, str]]  # (user id, username)
    classes: int
    seconds: float


def prepare_database(database_url: str, trainees: int, open_minutes: int, *, prepare: bool = True) -> Prepared:
    """Migrate, sync content/, then bulk-create the body, trainees, classes and openings."""
    began = time.perf_counter()
    from sqlalchemy import insert, select

    from lms import create_app
    from lms.auth.models import Role, User
    from lms.auth.passwords import hash_password
    from lms.classes.models import Enrolment, TrainingClass
    from lms.classes.services import new_class_code
    from lms.content_sync import sync_content
    from lms.courses.models import Course
    from lms.db import db, get_session, utcnow
    from lms.migrate import upgrade
    from lms.organisations.services import create_body
    from lms.quizzes.models import Quiz, QuizOpening
    from lms.quizzes.taking.prepared import prepare_first_attempts
    from lms.text import clean_line, fold

    upgrade(database_url)
    app = create_app({"DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"})
    with app.app_context():
        session = get_session()
        sync_content(session, app.config["CONTENT_DIR"], now=utcnow())
        session.commit()
        course = session.scalar(select(Course).where(Course.slug == COURSE_SLUG))
        quiz = session.scalar(select(Quiz).where(Quiz.course_id == course.id, Quiz.slug == TEST_SLUG))
        if course is None or quiz is None:
            raise SystemExit(f"content/ has no test {COURSE_SLUG}/{TEST_SLUG}")
        body = create_body(session, name="Sở Khoa học và Công nghệ (đo tải)", short_name="Sở KH&CN")
        # One production-cost hash for everyone: hashing 2,000 passwords would only slow the set-up down.
        password_hash = hash_password(PASSWORD)
        now = utcnow()
        rows = []
        for index in range(1, trainees + 1):
            full_name = clean_line(f"{FAMILY[index % len(FAMILY)]} {MIDDLE[index % len(MIDDLE)]} "
                                   f"{GIVEN[(index * 7) % len(GIVEN)]}")
            rows.append({
                "username": f"thisinh.{index:05d}", "email": None, "phone": None, "password_hash": password_hash,
                "role": Role.TRAINEE.value, "full_name": full_name, "full_name_folded": fold(full_name),
                "position": "Công chức", "organising_body_id": body.id, "active": True,
                "must_change_password": False, "session_token": secrets.token_urlsafe(24), "created_at": now,
            })
        session.execute(insert(User), rows)
        users = [(uid, name) for uid, name in session.execute(
            select(User.id, User.username).where(User.username.like("thisinh.%")).order_by(User.username))]
        class_count = math.ceil(len(users) / CLASS_SIZE)
        opens_at, closes_at = now - timedelta(minutes=1), now + timedelta(minutes=open_minutes)
        for number in range(class_count):
            members = users[number * CLASS_SIZE:(number + 1) * CLASS_SIZE]
            training_class = TrainingClass(name=f"Lớp nhận thức ISO 9001:2015 – khóa đo tải {number + 1}",
                                           code=new_class_code(), organising_body_id=body.id, course_id=course.id,
                                           starts_on=now.date(), ends_on=now.date())
            session.add(training_class)
            session.flush()
            session.execute(insert(Enrolment), [{"class_id": training_class.id, "user_id": uid, "enrolled_at": now}
                                                for uid, _name in members])
            opening = QuizOpening(quiz_id=quiz.id, class_id=training_class.id, opens_at=opens_at,
                                  closes_at=closes_at)
            session.add(opening)
            session.flush()
            if prepare:  # what the trainer's "open the test" does (lms/quizzes/taking/prepared.py)
                prepare_first_attempts(session, opening)
        session.commit()
        quiz_id = quiz.id
    db.engine_for(app).dispose()
    return Prepared(database_url, quiz_id, users, class_count, time.perf_counter() - began)


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serialized_app():
    """gunicorn target of --serialize-writes (an experiment, not how the app is deployed).

    Every request that writes runs under one lock per worker process, so threads of a worker queue in
    order instead of polling SQLite's write lock (its busy handler sleeps up to 100 ms between tries).
    It shows what a writer mutex in lms/db.py would gain; the app itself is unchanged.
    """
    import threading

    from wsgi import app

    lock = threading.Lock()

    def serialized(environ, start_response):
        if environ["REQUEST_METHOD"] in ("GET", "HEAD", "OPTIONS"):
            return app(environ, start_response)
        with lock:
            result = app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()

    return serialized


def start_gunicorn(args, database_url: str, port: int, log_path: Path, target: str | None = None,
                   extra_env: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": secrets.token_urlsafe(48),
           "LMS_ENV": "development", "LOG_LEVEL": args.log_level, "SESSION_COOKIE_SECURE": "0",
           "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
    env.pop("REDIS_URL", None)
    env.update(extra_env or {})  # --room: the Redis shared with the room's socket server, the same SECRET_KEY
    command = [str(ROOT / ".venv/bin/gunicorn"), "--worker-class", "gthread", "--workers", str(args.workers),
               "--threads", str(args.threads), "--bind", f"127.0.0.1:{port}", "--keep-alive", "120",
               "--worker-connections", str(max(1000, args.trainees + 100)), "--backlog", "4096",
               "--timeout", "120", "--graceful-timeout", "10",
               # Each worker gets its own listening socket and the kernel spreads connections over them;
               # without it one worker accepted most keep-alive connections and used one core.
               *(["--reuse-port"] if args.reuse_port else []),
               target or ("bench.exam_peak:serialized_app()" if args.serialize_writes else "wsgi:app")]
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    process.log_file = log  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    stop_gunicorn(process)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    process.log_file.close()  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- a tiny HTTP/1.1 client


class HttpError(Exception):
    """The server's answer could not be read (connection closed or malformed)."""


class Connection:
    """One keep-alive connection with its own cookie jar: what one browser tab does."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.cookies: dict[str, str] = {}

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None,
                      ) -> tuple[int, dict[str, str], bytes]:
        """Send one request; a kept-alive connection the server closed meanwhile is reopened once."""
        for attempt in (1, 2):
            reused = self.writer is not None
            if not reused:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port, limit=1 << 20)
            try:
                return await asyncio.wait_for(self._exchange(method, path, body, headers or {}), REQUEST_TIMEOUT)
            except (asyncio.IncompleteReadError, ConnectionError) as error:
                await self.close()
                # Only a reused connection closed before any answer is retried (every request here is
                # idempotent anyway: saves carry seq, start resumes, submit twice is harmless).
                partial = getattr(error, "partial", b"")
                if attempt == 2 or not reused or partial:
                    raise HttpError(f"{method} {path}: {error!r}") from error
        raise AssertionError("unreachable")

    async def _exchange(self, method: str, path: str, body: bytes, headers: dict) -> tuple[int, dict, bytes]:
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "User-Agent: exam-peak-bench/1",
                 "Accept-Language: vi"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        for name, value in headers.items():
            lines.append(f"{name}: {value}")
        if body or method != "GET":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head[:-4].decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        response_headers: dict[str, str] = {}
        for line in header_lines:
            name, _sep, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                self._store_cookie(value)
            response_headers[name] = value
        if "content-length" in response_headers:
            data = await self.reader.readexactly(int(response_headers["content-length"]))
        elif response_headers.get("transfer-encoding", "").lower() == "chunked":
            data = await self._read_chunked()
        else:
            data = await self.reader.read()
            response_headers["connection"] = "close"
        if response_headers.get("connection", "").lower() == "close":
            await self.close()
        return status, response_headers, data

    async def _read_chunked(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    def _store_cookie(self, value: str) -> None:
        pair, *attributes = value.split(";")
        name, _sep, cookie = pair.strip().partition("=")
        expired = any(a.strip().lower() in ("max-age=0",) or a.strip().lower().startswith("expires=thu, 01 jan 1970")
                      for a in attributes)
        if expired or not cookie:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = cookie


def json_post_headers(csrf: str) -> dict:
    return {"Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf}


# --------------------------------------------------------------------------- one trainee


@dataclass
class Trainee:
    user_id: int
    username: str
    conn: Connection
    csrf: str = ""
    attempt_id: int | None = None
    start_ms: float | None = None
    save_ms: list[float] = field(default_factory=list)
    submit_ms: float | None = None
    applied: dict[int, tuple[dict, int]] = field(default_factory=dict)  # position -> (answer, seq)
    statuses: Counter = field(default_factory=Counter)  # "start 201", "save 200"...
    errors: list[str] = field(default_factory=list)
    first_save_at: float | None = None
    last_save_at: float | None = None
    done: bool = False
    abandons: bool = False  # --abandon: leaves the test open after the last answer (the sweeper must close it)


def build_answer(question: dict) -> dict:
    """A valid answer from what the page shows (the key never reaches the browser)."""
    kind = question["type"]
    if kind == "single":
        return {"choice": question["choices"][0]["id"]}
    if kind == "multiple":
        return {"choices": [c["id"] for c in question["choices"][:2]]}
    if kind == "true_false":
        return {"value": True}
    if kind == "short":
        return {"text": "Hệ thống quản lý chất lượng"}
    if kind == "numeric":
        return {"text": "3,5"}
    if kind == "matching":
        right = question["right"]
        return {"pairs": {left["id"]: right[i % len(right)]["id"] for i, left in enumerate(question["left"])}}
    if kind == "ordering":
        return {"order": [item["id"] for item in question["items"]]}
    raise ValueError(f"unknown question type {kind}")


async def log_in(trainee: Trainee) -> None:
    conn = trainee.conn
    status, _h, page = await conn.request("GET", "/login")
    match = CSRF_INPUT.search(page)
    if status != 200 or not match:
        raise HttpError(f"GET /login answered {status}")
    form = urlencode({"csrf_token": match.group(1).decode(), "identifier": trainee.username, "password": PASSWORD})
    status, headers, _body = await conn.request("POST", "/login", form.encode(),
                                                {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 302:
        raise HttpError(f"POST /login answered {status}")
    # The page the trainee lands on carries the CSRF token the test page's script sends as a header.
    status, _h, page = await conn.request("GET", "/")
    match = CSRF_INPUT.search(page)
    if status != 200 or not match:
        raise HttpError(f"GET / after login answered {status}")
    trainee.csrf = match.group(1).decode()
    await conn.close()  # reopened at the start of the test, as a phone would


async def take_test(trainee: Trainee, quiz_id: int, t0: float, args, rng: random.Random, phase: StartPhase) -> None:
    await asyncio.sleep(max(0.0, t0 + rng.uniform(0, args.ramp_seconds) - time.perf_counter()))
    conn, headers = trainee.conn, json_post_headers(trainee.csrf)
    began = time.perf_counter()
    status, _h, data = await conn.request("POST", f"/api/v1/tests/{quiz_id}/attempts", b"{}", headers)
    trainee.start_ms = (time.perf_counter() - began) * 1000
    trainee.statuses[f"start {status}"] += 1
    phase.one_done()
    if status not in (200, 201):
        trainee.errors.append(f"start {status}: {data[:200]!r}")
        return
    attempt = json.loads(data)
    trainee.attempt_id = attempt["id"]
    seq = attempt["last_seq"]
    for question in attempt["questions"][:args.answers]:
        think = args.think_ms / 1000 * rng.uniform(0.5, 1.5)
        if think:
            await asyncio.sleep(think)
        seq += 1
        answer = build_answer(question)
        body = json.dumps({"saves": [{"position": question["position"], "answer": answer, "seq": seq}]},
                          separators=(",", ":")).encode()
        began = time.perf_counter()
        trainee.first_save_at = trainee.first_save_at or began
        status, _h, data = await conn.request("POST", f"/api/v1/attempts/{trainee.attempt_id}/answers", body,
                                              headers)
        trainee.last_save_at = time.perf_counter()
        trainee.save_ms.append((trainee.last_save_at - began) * 1000)
        trainee.statuses[f"save {status}"] += 1
        if status == 200 and question["position"] in json.loads(data)["applied"]:
            trainee.applied[question["position"]] = (answer, seq)
        elif status != 200:
            trainee.errors.append(f"save {status}: {data[:200]!r}")
    if trainee.abandons:
        await conn.close()
        return
    began = time.perf_counter()
    status, _h, data = await conn.request("POST", f"/api/v1/attempts/{trainee.attempt_id}/submit", b"{}", headers)
    trainee.submit_ms = (time.perf_counter() - began) * 1000
    trainee.statuses[f"submit {status}"] += 1
    if status != 200:
        trainee.errors.append(f"submit {status}: {data[:200]!r}")
    trainee.done = True
    await conn.close()


async def guarded(coro, trainee: Trainee, label: str) -> None:
    try:
        await coro
    except (TimeoutError, HttpError, OSError, ValueError, KeyError) as error:
        trainee.statuses[f"{label} exception"] += 1
        trainee.errors.append(f"{label}: {error!r}"[:300])
        await trainee.conn.close()


async def measure_loop_lag(stop: asyncio.Event, lags: list[float]) -> None:
    """How late the client's own event loop wakes up: the client's share of the measured latency."""
    while not stop.is_set():
        before = time.perf_counter()
        await asyncio.sleep(0.05)
        lags.append((time.perf_counter() - before - 0.05) * 1000)


async def healthz_throughput(port: int | list[int], connections: int, seconds: float) -> dict:
    ports = port if isinstance(port, list) else [port]
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    statuses: Counter = Counter()

    async def hammer(number: int) -> None:
        conn = Connection(ports[number % len(ports)])
        try:
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                status, _h, _b = await conn.request("GET", "/healthz")
                latencies.append((time.perf_counter() - began) * 1000)
                statuses[status] += 1
        except (TimeoutError, HttpError, OSError) as error:
            statuses[type(error).__name__] += 1
        finally:
            await conn.close()

    began = time.perf_counter()
    await asyncio.gather(*(hammer(number) for number in range(connections)))
    elapsed = time.perf_counter() - began
    return {"connections": connections, "seconds": round(elapsed, 2), "requests": len(latencies),
            "requests_per_second": round(len(latencies) / elapsed, 1), "latency_ms": summary(latencies),
            "statuses": dict(statuses)}


def server_cpu_seconds(master_pid: int | list[int]) -> float:
    """CPU time (user + system) used so far by gunicorn's masters and workers (of every instance), from /proc."""
    masters = set(master_pid if isinstance(master_pid, list) else [master_pid])
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid in masters or ppid in masters:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


@dataclass
class StartPhase:
    """Server CPU used from the first start until the last start's answer (no save happens before
    the last start when --think-ms is longer than --ramp-seconds)."""

    remaining: int
    server_pid: int | list[int]
    cpu_at_begin: float = 0.0
    cpu_seconds: float | None = None
    seconds: float | None = None
    began: float = 0.0

    def begin(self) -> None:
        self.cpu_at_begin, self.began = server_cpu_seconds(self.server_pid), time.perf_counter()

    def one_done(self) -> None:
        self.remaining -= 1
        if self.remaining == 0:
            self.cpu_seconds = server_cpu_seconds(self.server_pid) - self.cpu_at_begin
            self.seconds = time.perf_counter() - self.began


async def run_load(args, prepared: Prepared, port: int | list[int], server_pid: int | list[int], room=None) -> dict:
    rng = random.Random(args.seed)
    ports = port if isinstance(port, list) else [port]  # --instances: trainees split over the instances
    trainees = [Trainee(uid, name, Connection(ports[n % len(ports)])) for n, (uid, name) in enumerate(prepared.users)]
    lags: list[float] = []
    stop = asyncio.Event()
    lag_task = asyncio.create_task(measure_loop_lag(stop, lags))

    # Logging in: production Argon2id, bounded concurrency, not part of the measured figures.
    began = time.perf_counter()
    gate = asyncio.Semaphore(args.login_concurrency)

    async def gated_login(trainee: Trainee) -> None:
        async with gate:
            await guarded(log_in(trainee), trainee, "login")

    await asyncio.wait_for(asyncio.gather(*(gated_login(t) for t in trainees)), args.timeout)
    login_seconds = time.perf_counter() - began
    logged_in = [t for t in trainees if t.csrf]
    for trainee in logged_in[len(logged_in) - args.abandon:] if args.abandon else ():
        trainee.abandons = True
    print(f"  logged in {len(logged_in)}/{len(trainees)} trainees in {login_seconds:.1f} s", flush=True)
    room_figures = None
    if room is not None:  # --room: every trainee also in its class's live room, an administrator watching all
        from bench import room_load

        room_figures = await asyncio.to_thread(room_load.connect, room, prepared.database_url, port, logged_in,
                                               PASSWORD)
        print(f"  {room_figures['sockets']} trainees in the live room in {room_figures['connect_seconds']} s",
              flush=True)

    lags.clear()
    t0 = time.perf_counter() + 0.5
    rngs = [random.Random(rng.random()) for _ in logged_in]
    phase = StartPhase(remaining=len(logged_in), server_pid=server_pid)
    phase.begin()
    tasks = [asyncio.create_task(guarded(take_test(t, prepared.quiz_id, t0, args, r, phase), t, "exam"))
             for t, r in zip(logged_in, rngs, strict=True)]
    _done, pending = await asyncio.wait(tasks, timeout=args.timeout)
    for task in pending:
        task.cancel()
    exam_seconds = time.perf_counter() - t0
    exam_lag = summary(lags)
    print(f"  exam phase done in {exam_seconds:.1f} s ({len(pending)} trainees cut off by --timeout)", flush=True)

    health = await healthz_throughput(port, len(trainees), args.healthz_seconds)
    stop.set()
    await lag_task
    return {"trainees": trainees, "login_seconds": login_seconds, "exam_seconds": exam_seconds,
            "start_phase": {"seconds": phase.seconds, "server_cpu_seconds": phase.cpu_seconds},
            "timed_out": len(pending), "healthz": health, "client_loop_lag_ms": exam_lag, "room": room_figures}


# --------------------------------------------------------------------------- checking the database


def verify(database_url: str, trainees: list[Trainee]) -> dict:
    """Every answer acknowledged as applied is stored as sent; every attempt is closed and graded."""
    from sqlalchemy import create_engine, select

    from lms.quizzes.models import Attempt, AttemptQuestion

    engine = create_engine(database_url)
    by_user = {t.user_id: t for t in trainees}
    lost, wrong, not_closed, not_graded, missing_attempts = 0, 0, 0, 0, 0
    checked = 0
    with engine.connect() as connection:
        attempts = {row.user_id: row for row in connection.execute(
            select(Attempt.id, Attempt.user_id, Attempt.state, Attempt.close_reason, Attempt.score,
                   Attempt.percent).where(Attempt.user_id.in_(list(by_user))))}
        stored: dict[int, dict[int, tuple]] = {}
        for row in connection.execute(select(AttemptQuestion.attempt_id, AttemptQuestion.position,
                                             AttemptQuestion.answer, AttemptQuestion.answer_seq,
                                             AttemptQuestion.score)):
            stored.setdefault(row.attempt_id, {})[row.position] = (row.answer, row.answer_seq, row.score)
    engine.dispose()
    for trainee in trainees:
        attempt = attempts.get(trainee.user_id)
        if trainee.attempt_id is None:
            continue
        if attempt is None or attempt.id != trainee.attempt_id:
            missing_attempts += 1
            lost += len(trainee.applied)
            continue
        rows = stored.get(attempt.id, {})
        if trainee.done:
            if attempt.state != "closed":
                not_closed += 1
            if attempt.score is None or any(score is None for _a, _s, score in rows.values()):
                not_graded += 1
        for position, (answer, seq) in trainee.applied.items():
            checked += 1
            found = rows.get(position)
            if found is None or found[0] is None:
                lost += 1
            elif found[0] != answer or found[1] != seq:
                wrong += 1
    return {"answers_acknowledged": checked, "lost_answers": lost, "answers_stored_differently": wrong,
            "attempts_missing": missing_attempts, "submitted_attempts_not_closed": not_closed,
            "submitted_attempts_not_graded": not_graded}


# --------------------------------------------------------------------------- figures


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    if not ordered:
        return {"count": 0}
    return {"count": len(ordered), "p50": round(percentile(ordered, 50), 1), "p95": round(percentile(ordered, 95), 1),
            "p99": round(percentile(ordered, 99), 1), "max": round(ordered[-1], 1),
            "mean": round(sum(ordered) / len(ordered), 1)}


def report(args, prepared: Prepared, load: dict, check: dict) -> dict:
    trainees: list[Trainee] = load["trainees"]
    starts = [t.start_ms for t in trainees if t.start_ms is not None]
    saves = [ms for t in trainees for ms in t.save_ms]
    submits = [t.submit_ms for t in trainees if t.submit_ms is not None]
    firsts = [t.first_save_at for t in trainees if t.first_save_at]
    lasts = [t.last_save_at for t in trainees if t.last_save_at]
    save_window = (max(lasts) - min(firsts)) if firsts and lasts else float("nan")
    statuses: Counter = Counter()
    for trainee in trainees:
        statuses.update(trainee.statuses)
    errors = [e for t in trainees for e in t.errors]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "settings": {"trainees": args.trainees, "workers": args.workers, "threads": args.threads,
                     "worker_class": "gthread", "ramp_seconds": args.ramp_seconds, "think_ms": args.think_ms,
                     "answers": args.answers,
                     "database": prepared.database_url.split(":", 1)[0].split("+", 1)[0],
                     "instances": args.instances, "redis": bool(args.redis or args.room),
                     "classes": prepared.classes, "log_level": args.log_level,
                     "serialize_writes": args.serialize_writes, "prepared_first_attempts": args.prepare},
        "machine": machine(),
        "setup_seconds": round(prepared.seconds, 1),
        "login_seconds": round(load["login_seconds"], 1),
        "exam_seconds": round(load["exam_seconds"], 1),
        "trainees_finished": sum(1 for t in trainees if t.done),
        "start_ms": summary(starts), "save_ms": summary(saves), "submit_ms": summary(submits),
        "save_phase_seconds": round(save_window, 1),
        "saves_per_second": round(len(saves) / save_window, 1) if saves else 0,
        "statuses": dict(sorted(statuses.items())),
        "first_errors": errors[:10],
        "verification": check,
        "healthz": load["healthz"],
        "start_phase": load["start_phase"],
        "client_loop_lag_ms": load["client_loop_lag_ms"],
        "client_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "room": load.get("room"),
        "targets": {
            "zero_lost_answers": check["lost_answers"] == 0 and check["answers_stored_differently"] == 0,
            "start_p99_under_1s": bool(starts) and percentile(sorted(starts), 99) < 1000,
            "save_p99_under_150ms": bool(saves) and percentile(sorted(saves), 99) < 150,
        },
    }
    print_table(result)
    return result


def machine() -> dict:
    import platform
    import sqlite3

    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpus": os.cpu_count(), "memory_gb": round(memory_gb, 1), "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version, "platform": platform.platform()}


def print_table(r: dict) -> None:
    s = r["settings"]
    print()
    print(f"exam peak: {s['trainees']} trainees, {s['instances']} x gunicorn gthread {s['workers']} workers x "
          f"{s['threads']} threads{' + Redis' if s['redis'] else ''}, "
          f"{s['database']}, ramp {s['ramp_seconds']} s, think {s['think_ms']} ms (+-50%)"
          + (", writes serialized per worker (experiment)" if s["serialize_writes"] else ""))
    print(f"machine: {r['machine']['cpus']} CPUs, {r['machine']['memory_gb']} GB, Python {r['machine']['python']}, "
          f"SQLite {r['machine']['sqlite']}")
    print(f"set-up {r['setup_seconds']} s, log-ins {r['login_seconds']} s (not measured), exam {r['exam_seconds']} s, "
          f"{r['trainees_finished']}/{s['trainees']} trainees finished")
    print()
    print(f"{'request':<10}{'count':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for name in ("start", "save", "submit"):
        m = r[f"{name}_ms"]
        if m.get("count"):
            print(f"{name:<10}{m['count']:>8}{m['p50']:>10}{m['p95']:>10}{m['p99']:>10}{m['max']:>10}")
    h = r["healthz"]
    hl = h["latency_ms"]
    print(f"{'healthz':<10}{hl.get('count', 0):>8}{hl.get('p50', '-'):>10}{hl.get('p95', '-'):>10}"
          f"{hl.get('p99', '-'):>10}{hl.get('max', '-'):>10}")
    print()
    print(f"saves per second during the save phase: {r['saves_per_second']} ({r['save_ms'].get('count', 0)} saves "
          f"in {r['save_phase_seconds']} s)")
    print(f"/healthz: {h['requests_per_second']} requests/s with {h['connections']} connections for {h['seconds']} s "
          f"{h['statuses']}")
    phase = r["start_phase"]
    if phase["seconds"]:
        print(f"start phase: {s['trainees']} starts answered in {phase['seconds']:.1f} s; server CPU "
              f"{phase['server_cpu_seconds']:.1f} s, {1000 * phase['server_cpu_seconds'] / s['trainees']:.1f} ms "
              "per start (all workers, including HTTP)")
    print(f"statuses: {r['statuses']}")
    v = r["verification"]
    print(f"answers acknowledged: {v['answers_acknowledged']}, lost: {v['lost_answers']}, stored differently: "
          f"{v['answers_stored_differently']}, attempts missing: {v['attempts_missing']}, submitted but open: "
          f"{v['submitted_attempts_not_closed']}, not graded: {v['submitted_attempts_not_graded']}")
    print(f"client: event-loop lag p99 {r['client_loop_lag_ms'].get('p99', '-')} ms, "
          f"CPU {r['client_cpu_seconds']} s")
    for error in r["first_errors"]:
        print(f"  error: {error}")
    t = r["targets"]
    print()
    print("targets: " + ", ".join(f"{name} {'MET' if ok else 'MISSED'}" for name, ok in t.items()))


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--no-reuse-port", dest="reuse_port", action="store_false",
                        help="let the workers share one listening socket (gunicorn's default)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--instances", type=int, default=1,
                        help="separate gunicorn instances on separate ports sharing the database, trainees split "
                             "over them (bench/instances.py); with PostgreSQL: --database-url")
    parser.add_argument("--abandon", type=int, default=0,
                        help="this many trainees leave the test open; after the exam their deadline is moved close "
                             "and the sweeper must close each within 2 s after deadline + grace (bench/sweep_check.py)")
    parser.add_argument("--redis", action="store_true",
                        help="a throw-away redis-server shared by the instances (REDIS_URL: rate limits, log-in "
                             "throttle, sweeper lease)")
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary directory "
                        "(a given database must be empty: the schema is migrated into it)")
    parser.add_argument("--ramp-seconds", type=float, default=5.0, help="starts spread over this many seconds")
    parser.add_argument("--think-ms", type=float, default=2000.0,
                        help="mean pause before each answer (uniform 50%%-150%%)")
    parser.add_argument("--answers", type=int, default=None,
                        help="answer only the first N questions (quicker runs that look at starts); default all")
    parser.add_argument("--no-prepare", dest="prepare", action="store_false",
                        help="do not draw first attempts in advance (as if the openings were made before this feature)")
    parser.add_argument("--login-concurrency", type=int, default=32)
    parser.add_argument("--healthz-seconds", type=float, default=5.0)
    parser.add_argument("--timeout", type=float, default=900.0, help="limit for the log-ins and for the exam")
    parser.add_argument("--log-level", default="WARNING", help="the app's LOG_LEVEL in gunicorn")
    parser.add_argument("--serialize-writes", action="store_true",
                        help="experiment: one write request at a time per worker (see serialized_app)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--saturate", action="store_true",
                        help="instead of the exam: saves as fast as possible at rising concurrency, beside the bare "
                             "one-INSERT app (bench/saturate.py)")
    parser.add_argument("--saturate-seconds", type=float, default=10.0, help="how long each concurrency level runs")
    parser.add_argument("--saturate-levels", type=lambda text: [int(n) for n in text.split(",")],
                        default=[4, 8, 16, 32, 64], help="concurrent senders, comma-separated")
    parser.add_argument("--room", action="store_true",
                        help="every trainee also connected to its class's live room (redis-server, bench/room_load.py)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (database, gunicorn log)")
    parser.add_argument("--json", action="store_true", help="also write the figures to bench/results/")
    args = parser.parse_args(argv)
    if not 1 <= args.trainees <= 20000:
        parser.error("--trainees must be between 1 and 20000")
    return args


def raise_file_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    raise_file_limit(args.trainees * 2 + 256)
    workdir = Path(tempfile.mkdtemp(prefix="exam-peak-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    print(f"preparing {args.trainees} trainees in {workdir} ...", flush=True)
    prepared = prepare_database(database_url, args.trainees, open_minutes=120, prepare=args.prepare)
    print(f"  ready in {prepared.seconds:.1f} s: quiz {prepared.quiz_id}, {prepared.classes} classes", flush=True)
    if args.saturate:
        from bench.saturate import run_saturate

        figures = run_saturate(args, prepared, database_url, workdir)
        if args.json:
            out = ROOT / "bench" / "results"
            out.mkdir(parents=True, exist_ok=True)
            (out / f"saturate-w{args.workers}t{args.threads}-{datetime.now():%Y%m%d-%H%M%S}.json").write_text(
                json.dumps(figures, indent=2))
        shutil.rmtree(workdir, ignore_errors=True)
        return 0
    port = free_port()
    room = None
    if args.room:
        from bench import room_load

        room_load.add_watcher(database_url)
        room = room_load.start(database_url, port, secrets.token_urlsafe(48), args.trainees, workdir / "room.log")
        print(f"  room socket server on 127.0.0.1:{room.port}, Redis {room.env['REDIS_URL']}", flush=True)
    from bench.instances import gunicorn_memory, start_instances, start_redis, stop_redis

    redis = start_redis() if args.redis and room is None else None
    extra_env = room.env if room else ({"REDIS_URL": redis.url} if redis else None)
    if args.instances == 1:
        instances = [SimpleNamespace(process=start_gunicorn(args, database_url, port, workdir / "gunicorn.log",
                                                            extra_env=extra_env), port=port)]
    else:
        instances = start_instances(args, database_url, workdir, extra_env)
    pids, ports = [i.process.pid for i in instances], [i.port for i in instances]
    print(f"  gunicorn pids {pids} on 127.0.0.1 ports {ports}", flush=True)
    memory: list[dict] = []
    try:
        load = asyncio.run(run_load(args, prepared, ports, pids, room))
        memory = gunicorn_memory(pids)
        if args.abandon:
            from bench import sweep_check

            abandoned = [t.attempt_id for t in load["trainees"] if t.abandons and t.attempt_id is not None]
            sweep = sweep_check.run(database_url, abandoned, grace_seconds=float(os.environ.get(
                "QUIZ_SAVE_GRACE_SECONDS", 10)))
            print(f"sweeper check: {sweep}", flush=True)
    finally:
        for instance in instances:
            stop_gunicorn(instance.process)
        pushed = room_load.stop(room) if room is not None else None
        stop_redis(redis)
    check = verify(database_url, load["trainees"])
    result = report(args, prepared, load, check)
    result["gunicorn_memory"] = memory
    if args.abandon:
        result["sweeper"] = sweep
        result["targets"]["abandoned_closed_within_2s"] = bool(sweep.get("all_closed_within_2s"))
    print("resident memory after the run: " + ", ".join(
        f"instance {row['instance']} {row['role']} {row['rss_mb']} MB" for row in memory), flush=True)
    if pushed is not None:
        result["room"].update(pushed)
        print(f"live room: {result['room']}", flush=True)
    if args.json:
        out = ROOT / "bench" / "results"
        out.mkdir(parents=True, exist_ok=True)
        name = f"exam_peak-{args.trainees}-w{args.workers}t{args.threads}-{datetime.now():%Y%m%d-%H%M%S}.json"
        (out / name).write_text(json.dumps(result, indent=2, ensure_ascii=False))
        print(f"figures written to {out / name}")
    if args.keep:
        print(f"kept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if result["targets"]["zero_lost_answers"] else 1


if __name__ == "__main__":
    sys.exit(main())
