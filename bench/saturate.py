"""`exam_peak.py --saturate`: logged-in trainees save answers as fast as they can, at rising concurrency, for a
fixed time each; then the same against the bare one-INSERT app (bench/bare_insert.py) on the same database and
gunicorn settings, in the same run. Reported: the highest rate held with p99 under 150 ms for each, and the ratio."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from bench.exam_peak import (
    Connection,
    HttpError,
    Trainee,
    build_answer,
    free_port,
    json_post_headers,
    log_in,
    percentile,
    start_gunicorn,
    stop_gunicorn,
)

P99_LIMIT_MS = 150.0


async def closed_loop(senders: list, seconds: float) -> dict:
    """Each sender sends one request after the other until the time is up: the rate and latencies held."""
    latencies: list[float] = []
    failures = 0
    until = time.perf_counter() + seconds

    async def run(send) -> None:
        nonlocal failures
        while time.perf_counter() < until:
            began = time.perf_counter()
            try:
                ok = await send()
            except HttpError:  # a connection reset counts as a failure; the next request reconnects
                ok = False
            latencies.append((time.perf_counter() - began) * 1000)
            failures += 0 if ok else 1

    began = time.perf_counter()
    await asyncio.gather(*(run(send) for send in senders))
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {"concurrency": len(senders), "requests": len(latencies), "failures": failures,
            "rate_per_s": round(len(latencies) / elapsed, 1), "p50_ms": round(percentile(latencies, 50), 1),
            "p99_ms": round(percentile(latencies, 99), 1)}


def save_sender(trainee: Trainee, questions: list[dict]):
    """Saves of one trainee, question after question, each with the next sequence number."""
    headers = json_post_headers(trainee.csrf)
    path = f"/api/v1/attempts/{trainee.attempt_id}/answers"
    state = {"seq": 0, "index": 0}

    async def send() -> bool:
        question = questions[state["index"] % len(questions)]
        state["index"] += 1
        state["seq"] += 1
        body = json.dumps({"saves": [{"position": question["position"], "answer": build_answer(question),
                                      "seq": state["seq"]}]}, separators=(",", ":")).encode()
        status, _h, _data = await trainee.conn.request("POST", path, body, headers)
        return status == 200

    return send


def insert_sender(conn: Connection, body: bytes):
    async def send() -> bool:
        status, _h, _data = await conn.request("POST", "/insert", body, {"Content-Type": "application/json"})
        return status == 200

    return send


async def app_levels(args, prepared, port: int) -> list[dict]:
    needed = max(args.saturate_levels)
    trainees = [Trainee(uid, name, Connection(port)) for uid, name in prepared.users[:needed]]
    gate = asyncio.Semaphore(args.login_concurrency)

    async def ready(trainee: Trainee) -> list[dict]:
        async with gate:
            await log_in(trainee)
        status, _h, data = await trainee.conn.request("POST", f"/api/v1/tests/{prepared.quiz_id}/attempts", b"{}",
                                                      json_post_headers(trainee.csrf))
        if status not in (200, 201):
            raise SystemExit(f"start answered {status}: {data[:200]!r}")
        attempt = json.loads(data)
        trainee.attempt_id = attempt["id"]
        return attempt["questions"]

    questions = await asyncio.gather(*(ready(t) for t in trainees))
    senders = [save_sender(t, q) for t, q in zip(trainees, questions, strict=True)]
    rows = []
    for level in args.saturate_levels:
        rows.append(await closed_loop(senders[:level], args.saturate_seconds))
        print(f"  app saves, {level} at once: {rows[-1]}", flush=True)
    return rows


async def bare_levels(args, port: int) -> list[dict]:
    body = json.dumps({"saves": [{"position": 1, "answer": {"choice": "a"}, "seq": 1}]}).encode()
    senders = [insert_sender(Connection(port), body) for _ in range(max(args.saturate_levels))]
    rows = []
    for level in args.saturate_levels:
        rows.append(await closed_loop(senders[:level], args.saturate_seconds))
        print(f"  bare INSERT, {level} at once: {rows[-1]}", flush=True)
    return rows


def best(rows: list[dict]) -> dict | None:
    """The row with the highest rate whose p99 stayed under the limit and that had no failures."""
    held = [row for row in rows if row["p99_ms"] < P99_LIMIT_MS and not row["failures"]]
    return max(held, key=lambda row: row["rate_per_s"]) if held else None


def run_saturate(args, prepared, database_url: str, workdir: Path) -> dict:
    """Both measurements, one after the other on the same database, and the ratio of the rates held."""
    port = free_port()
    process = start_gunicorn(args, database_url, port, workdir / "gunicorn.log")
    try:
        app_rows = asyncio.run(app_levels(args, prepared, port))
    finally:
        stop_gunicorn(process)
    port = free_port()
    process = start_gunicorn(args, database_url, port, workdir / "bare.log", target="bench.bare_insert:app")
    try:
        bare_rows = asyncio.run(bare_levels(args, port))
    finally:
        stop_gunicorn(process)
    app_best, bare_best = best(app_rows), best(bare_rows)
    ratio = app_best["rate_per_s"] / bare_best["rate_per_s"] if app_best and bare_best else None
    print(f"saves held with p99 < {P99_LIMIT_MS:.0f} ms: app {app_best and app_best['rate_per_s']}/s, "
          f"bare INSERT {bare_best and bare_best['rate_per_s']}/s, ratio {ratio and round(ratio * 100, 1)} %")
    return {"app": app_rows, "bare": bare_rows, "app_best": app_best, "bare_best": bare_best,
            "ratio": ratio and round(ratio, 3), "workers": args.workers, "threads": args.threads}
