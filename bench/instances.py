"""Several app servers for one exam_peak run: N gunicorn instances on N ports sharing one database (and Redis).

This is how a province that outgrows one machine runs: more app servers on one PostgreSQL. On one 2-core machine
the instances share the cores, so the figures show that the instances cooperate (the same attempts, deadlines,
sweeper lease, rate limits and log-in throttle across them, nothing lost), not that two machines are faster.
Also here: the resident memory of every gunicorn process after the run, and a throw-away redis-server.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Instance:
    process: subprocess.Popen
    port: int


def start_instances(args, database_url: str, workdir: Path, extra_env: dict | None = None) -> list[Instance]:
    """`args.instances` gunicorn instances (each `args.workers` × `args.threads`), each on its own free port."""
    from bench.exam_peak import free_port, start_gunicorn, stop_gunicorn

    started: list[Instance] = []
    try:
        for number in range(args.instances):
            port = free_port()
            process = start_gunicorn(args, database_url, port, workdir / f"gunicorn-{number + 1}.log",
                                     extra_env=extra_env)
            started.append(Instance(process, port))
    except BaseException:
        for instance in started:
            stop_gunicorn(instance.process)
        raise
    return started


def gunicorn_memory(master_pids: list[int]) -> list[dict]:
    """Resident memory (VmRSS, MB) of each gunicorn master and worker, read from /proc before they stop."""
    rows = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        pid, ppid = int(status.parent.name), int(fields.get("PPid", "0").strip())
        if pid in master_pids or ppid in master_pids:
            rss_kb = int(fields.get("VmRSS", "0 kB").split()[0])
            rows.append({"pid": pid, "role": "master" if pid in master_pids else "worker",
                         "instance": master_pids.index(pid if pid in master_pids else ppid) + 1,
                         "rss_mb": round(rss_kb / 1024, 1)})
    return sorted(rows, key=lambda row: (row["instance"], row["role"] != "master", row["pid"]))


@dataclass
class Redis:
    process: subprocess.Popen
    url: str


def start_redis() -> Redis:
    """A throw-away redis-server on a free local port, no persistence (the run stops it)."""
    from bench.exam_peak import free_port

    server = shutil.which("redis-server")
    if server is None:
        raise SystemExit("--redis needs redis-server (scripts/system-deps.sh installs it)")
    port = free_port()
    process = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    import socket

    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return Redis(process, f"redis://127.0.0.1:{port}/0")
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("redis-server did not start within 10 s")


def stop_redis(redis: Redis | None) -> None:
    if redis is not None and redis.process.poll() is None:
        redis.process.terminate()
        redis.process.wait(timeout=10)
