"""Certificates: GET /verify/<code> through gunicorn, requests per second and latency next to /healthz.

Run by hand from the project root (see bench/README.md):

    .venv/bin/python bench/certificates_verify.py

What it does, all on 127.0.0.1, bounded in time and stopping by itself:

1. set-up (not measured): a fresh SQLite database in a temporary directory, prepared and issued as
   `bench/certificates.py` does (N certificates of one class, through `records.issue_certificate`);
2. gunicorn as `bench/exam_peak.py` starts it (gthread, 2 workers x 4 threads, `--reuse-port`, keep-alive), with
   `CERT_VERIFY_LIMIT` raised (default 100000000/minute) so that the per-address rate limit, which would refuse
   all but 60 checks a minute from the one benchmark address, does not turn the run into a 429 benchmark;
3. the size of one verify page, transferred (Accept-Encoding: br, gzip) and uncompressed (target: under 30 KB);
4. **/healthz**, then **verify**: C keep-alive clients (default 8) send one request after the other for S seconds
   each (default 10); verify asks for the address a phone reads from the QR code (`/verify/<code>?k=..&s=..&d=..`:
   the status, the Ed25519 signature and the signed data are checked, one log row written) for existing codes and,
   for a share of the requests (default 10 %), for unknown codes (404 NOT FOUND, also logged);
5. gunicorn stopped, the check log counted: one row per verify answer.

Printed: requests per second, p50/p95/p99/max latency (client side, send to last byte), the server's CPU time per
request (from /proc: steadier than latencies on a shared machine), the statuses, and the targets (verify at least
half of /healthz's rate with p99 under 50 ms; the page under 30 KB).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.certificates import issue_all, prepare  # noqa: E402
from bench.exam_peak import (  # noqa: E402
    Connection,
    HttpError,
    free_port,
    machine,
    server_cpu_seconds,
    start_gunicorn,
    stop_gunicorn,
    summary,
)

PAGE_LIMIT_BYTES = 30_000


def scanned_paths(app, class_code: str) -> list[str]:
    """The path and query of every issued certificate's QR text: what a phone opens."""
    from sqlalchemy import select

    from lms.certificates.models import Certificate
    from lms.certificates.payload import qr_text
    from lms.classes.models import TrainingClass
    from lms.db import get_session

    with app.app_context():
        session = get_session()
        class_id = session.scalar(select(TrainingClass.id).where(TrainingClass.code == class_code))
        paths = []
        for certificate in session.scalars(select(Certificate).where(Certificate.class_id == class_id)):
            parts = urlsplit(qr_text(certificate, "http://127.0.0.1"))
            paths.append(f"{parts.path}?{parts.query}")
        return paths


async def page_sizes(port: int, path: str) -> dict:
    """One verify page asked for compressed (as a phone's browser does) and plain."""
    connection = Connection(port)
    try:
        status, headers, body = await connection.request("GET", path, headers={"Accept-Encoding": "br, gzip"})
        plain_status, _plain_headers, plain = await connection.request("GET", path,
                                                                       headers={"Accept-Encoding": "identity"})
    finally:
        await connection.close()
    return {"status": status, "plain_status": plain_status, "encoding": headers.get("content-encoding", "identity"),
            "transferred_bytes": len(body), "uncompressed_bytes": len(plain),
            "under_30kb": len(body) < PAGE_LIMIT_BYTES and len(plain) < PAGE_LIMIT_BYTES}


async def drive(port: int, choose, clients: int, seconds: float, server_pid: int) -> dict:
    """`clients` keep-alive connections, each sending `choose()`'s path one request after the other."""
    deadline = time.perf_counter() + seconds
    latencies: list[float] = []
    statuses: Counter = Counter()

    async def client() -> None:
        connection = Connection(port)
        try:
            while time.perf_counter() < deadline:
                path = choose()
                began = time.perf_counter()
                status, _headers, _body = await connection.request("GET", path)
                latencies.append((time.perf_counter() - began) * 1000)
                statuses[status] += 1
        except (TimeoutError, HttpError, OSError) as error:
            statuses[type(error).__name__] += 1
        finally:
            await connection.close()

    cpu_before, began = server_cpu_seconds(server_pid), time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed, cpu = time.perf_counter() - began, server_cpu_seconds(server_pid) - cpu_before
    return {"clients": clients, "seconds": round(elapsed, 2), "requests": len(latencies),
            "requests_per_second": round(len(latencies) / elapsed, 1), "latency_ms": summary(latencies),
            "server_cpu_ms_per_request": round(1000 * cpu / max(1, len(latencies)), 2),
            "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)}}


async def run(port: int, server_pid: int, paths: list[str], args) -> dict:
    rng = random.Random(args.seed)
    unknown = [f"/verify/{secrets.token_urlsafe(24)}" for _ in range(100)]

    def verify_path() -> str:
        return rng.choice(unknown) if rng.random() < args.unknown_share else rng.choice(paths)

    sizes = await page_sizes(port, paths[0])
    healthz = await drive(port, lambda: "/healthz", args.clients, args.seconds, server_pid)
    verify = await drive(port, verify_path, args.clients, args.seconds, server_pid)
    return {"page": sizes, "healthz": healthz, "verify": verify}


def count_checks(database_url: str) -> int:
    from sqlalchemy import create_engine, func, select

    from lms.certificates.models import CertificateCheck

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(CertificateCheck))
    finally:
        engine.dispose()


def profile_in_process(app, paths: list[str], args) -> None:
    """`--profile`: the same verify requests in-process (Flask's test client, one thread) under cProfile."""
    import cProfile
    import pstats

    from lms.certificates.verify_views import Limiter

    app.config["CERT_VERIFY_LIMIT"] = args.limit
    app.extensions["certificate_verify_limiter"] = Limiter(app)
    rng = random.Random(args.seed)
    client = app.test_client()
    for path in ("/healthz", paths[0]):  # warm: templates compiled, keys read once
        client.get(path)
    timings = {}
    for name, choose in (("healthz", lambda: "/healthz"), ("verify", lambda: rng.choice(paths))):
        began = time.perf_counter()
        for _ in range(args.profile):
            client.get(choose())
        timings[name] = (time.perf_counter() - began) * 1000 / args.profile
    print(f"in-process, {args.profile} requests each: /healthz {timings['healthz']:.2f} ms, "
          f"verify {timings['verify']:.2f} ms per request")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.profile):
        client.get(rng.choice(paths))
    profiler.disable()
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(int(os.environ.get("PROFILE_LINES", "45")))


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--certificates", type=int, default=200, help="certificates issued before the run")
    parser.add_argument("--clients", type=int, default=8, help="concurrent keep-alive clients in each phase")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--unknown-share", type=float, default=0.1, help="share of verify requests for unknown codes")
    parser.add_argument("--limit", default="100000000/minute", help="CERT_VERIFY_LIMIT for the server of the run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="instead of gunicorn: N verify requests in-process, timed, then under cProfile")
    parser.add_argument("--sort", default="cumulative", help="cProfile order with --profile (cumulative, tottime...)")
    args = parser.parse_args(argv)
    args.seconds = min(args.seconds, 30.0)  # the machine is shared: a phase never runs longer than this
    with tempfile.TemporaryDirectory(prefix="lms-bench-verify-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        began = time.perf_counter()
        app, class_code = prepare(database_url, args.certificates)
        _seconds, issued = issue_all(app, class_code)
        paths = scanned_paths(app, class_code)
        setup = time.perf_counter() - began
        if args.profile:
            profile_in_process(app, paths, args)
            return 0
        port = free_port()
        os.environ["CERT_VERIFY_LIMIT"] = args.limit
        server_args = SimpleNamespace(workers=args.workers, threads=args.threads, trainees=args.clients,
                                      reuse_port=True, serialize_writes=False, log_level="WARNING")
        load_before = load_average()
        process = start_gunicorn(server_args, database_url, port, Path(folder) / "gunicorn.log")
        try:
            figures = asyncio.run(run(port, process.pid, paths, args))
        finally:
            stop_gunicorn(process)
        load_after = load_average()
        checks = count_checks(database_url)
    verify, healthz, page = figures["verify"], figures["healthz"], figures["page"]
    answered = sum(v for k, v in verify["statuses"].items() if k in ("200", "404"))
    ratio = verify["requests_per_second"] / max(0.1, healthz["requests_per_second"])
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(),
        "load_average_before": load_before, "load_average_after": load_after,
        "settings": {"certificates": issued, "clients": args.clients, "seconds": args.seconds,
                     "unknown_share": args.unknown_share, "workers": args.workers, "threads": args.threads,
                     "worker_class": "gthread", "cert_verify_limit": args.limit, "database": "sqlite"},
        "setup_s": round(setup, 1), **figures, "verify_to_healthz": round(ratio, 3),
        "check_log_rows": checks, "check_log_complete": checks == answered + 2,  # + the two page-size requests
        "targets": {"half_of_healthz": ratio >= 0.5, "p99_under_50ms": verify["latency_ms"].get("p99", 1e9) < 50,
                    "page_under_30kb": page["under_30kb"]},
    }
    if args.json:
        print(json.dumps(result))
    else:
        print_report(result)
    return 0


def print_report(r: dict) -> None:
    s, page = r["settings"], r["page"]
    print(f"verify bench: {s['certificates']} certificates, gunicorn gthread {s['workers']} x {s['threads']}, "
          f"{s['clients']} clients, {s['seconds']:g} s per phase, {s['unknown_share']:.0%} unknown codes, SQLite")
    print(f"CERT_VERIFY_LIMIT raised to {s['cert_verify_limit']} for this run (the default 60/minute per address "
          "would refuse almost every request from the one benchmark address)")
    print(f"load average before {r['load_average_before']}, after {r['load_average_after']} "
          f"({r['machine']['cpus']} CPUs)")
    print(f"page: {page['transferred_bytes']:,} bytes transferred ({page['encoding']}), "
          f"{page['uncompressed_bytes']:,} bytes uncompressed (limit {PAGE_LIMIT_BYTES:,})")
    for name in ("healthz", "verify"):
        p = r[name]
        lat = p["latency_ms"]
        print(f"{name:8} {p['requests_per_second']:8.1f} req/s  p50 {lat.get('p50')} ms  p95 {lat.get('p95')} ms  "
              f"p99 {lat.get('p99')} ms  max {lat.get('max')} ms  server CPU {p['server_cpu_ms_per_request']} ms/req  "
              f"{p['statuses']}")
    t = r["targets"]
    print(f"verify at {r['verify_to_healthz']:.0%} of /healthz (target >= 50 %: {'met' if t['half_of_healthz'] else 'MISSED'}); "
          f"p99 {r['verify']['latency_ms'].get('p99')} ms (target < 50 ms: {'met' if t['p99_under_50ms'] else 'MISSED'}); "
          f"page under 30 KB: {'yes' if t['page_under_30kb'] else 'NO'}")
    print(f"check log: {r['check_log_rows']} rows ({'one per answer' if r['check_log_complete'] else 'MISMATCH'})")


if __name__ == "__main__":
    raise SystemExit(main())
