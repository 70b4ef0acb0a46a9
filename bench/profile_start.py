"""Where a start's time goes: N trainees start the test in-process (Flask's test client, no gunicorn).

Run by hand from the project root (see bench/README.md):

    .venv/bin/python bench/profile_start.py --trainees 200            # mean time per start, by phase
    .venv/bin/python bench/profile_start.py --trainees 200 --profile  # plus cProfile's top functions
    .venv/bin/python bench/profile_start.py --trainees 200 --saves 5 --phases  # saves too; where the ms go

It prepares the same database as exam_peak.py (SQLite in a temporary directory), optionally prepares
every trainee's first attempt as the trainer's "open" does (--no-prepare to measure the cold draw),
logs the trainees in by writing Flask-Login's session entry (no password hashing), then times
`POST /api/v1/tests/<id>/attempts` and, for comparison, `GET /healthz`.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.exam_peak import prepare_database  # noqa: E402

CSRF_META = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=200)
    parser.add_argument("--no-prepare", action="store_true", help="do not prepare first attempts in advance")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top 40 functions")
    parser.add_argument("--sort", default="cumulative", help="cProfile order (cumulative, tottime...)")
    parser.add_argument("--saves", type=int, default=0, help="then this many saves per trainee, timed the same way")
    parser.add_argument("--phases", action="store_true",
                        help="share of each request's time by phase (cProfile cumulative times; slows the run)")
    args = parser.parse_args(argv)

    from lms import create_app
    from lms.auth.models import User
    from lms.db import get_session

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/profile.db"
        prepared = prepare_database(url, args.trainees, 120, prepare=not args.no_prepare)
        app = create_app({"DATABASE_URL": url, "QUIZ_SWEEPER": False, "LOG_LEVEL": "WARNING", "SECRET_KEY": "x" * 48,
                          "SESSION_COOKIE_SECURE": False})
        clients = []
        with app.app_context():
            tokens = {u.id: u.session_token for u in get_session().query(User)}
        for user_id, _name in prepared.users:
            client = app.test_client()
            with client.session_transaction() as flask_session:
                flask_session["_user_id"] = f"{user_id}:{tokens[user_id]}:{int(time.time())}:s"
                flask_session["_fresh"] = True
            match = CSRF_META.search(client.get("/").get_data(as_text=True))
            clients.append((client, match.group(1)))

        profiler = cProfile.Profile() if args.profile or args.phases else None
        began = time.perf_counter()
        started = []
        for client, csrf in clients:
            if profiler:
                profiler.enable()
            response = client.post(f"/api/v1/tests/{prepared.quiz_id}/attempts", json={},
                                   headers={"X-CSRF-Token": csrf})
            if profiler:
                profiler.disable()
            if response.status_code != 201:
                raise SystemExit(f"start answered {response.status_code}: {response.get_data(as_text=True)[:300]}")
            started.append(response.get_json())
        start_ms = (time.perf_counter() - began) * 1000 / len(clients)
        if args.phases:
            print_phases(profiler, "start", len(clients))
        if args.saves:
            save_ms = time_saves(clients, started, args.saves, args.phases, args.profile and args.sort)
            print(f"{len(clients) * args.saves} saves: {save_ms:.2f} ms each")

        client = clients[0][0]
        began = time.perf_counter()
        for _ in range(len(clients)):
            client.get("/healthz")
        healthz_ms = (time.perf_counter() - began) * 1000 / len(clients)

        print(f"{len(clients)} starts ({'prepared' if not args.no_prepare else 'cold draw'}): "
              f"{start_ms:.2f} ms each; /healthz {healthz_ms:.2f} ms")
        if args.profile:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)
    return 0


# Functions whose cumulative time makes up a request: (label, file fragment, function name).
PHASES = [
    ("whole request (test client included)", "werkzeug/test.py", "open"),
    ("Flask dispatch (routing, hooks, view)", "flask/app.py", "full_dispatch_request"),
    ("log-in check: session -> user (1 SELECT)", "lms/auth/services.py", "load_user_from_session_id"),
    ("CSRF token check", "lms/security.py", "_check_csrf"),
    ("request body -> pydantic", "lms/api.py", "parse_body"),
    ("the view", "lms/quizzes/taking/api.py", None),
    ("  save service (rules, UPDATEs)", "lms/quizzes/taking/attempts.py", "save_answers"),
    ("  start service", "lms/quizzes/taking/prepared.py", "take_prepared"),
    ("  commits", "sqlalchemy/orm/session.py", "commit"),
    ("answer -> JSON", "lms/api.py", "json_response"),
    ("session cookie written", "flask/sessions.py", "save_session"),
    ("after_request: security headers", "lms/security.py", "headers"),
    ("after_request: compression check", "lms/assets.py", "after_request"),
    ("request log line", "lms/logging.py", None),
    ("SQL executed (all statements)", "sqlalchemy/engine/base.py", "_execute_context"),
]


def print_phases(profiler, what: str, count: int) -> None:
    """Mean milliseconds per request spent under each phase (cumulative: phases nest, they do not add up)."""
    stats = pstats.Stats(profiler).stats
    print(f"where a {what}'s time goes (ms per request, under cProfile, which inflates every figure alike):")
    for label, fragment, name in PHASES:
        total = max((entry[3] for (path, _line, func), entry in stats.items()
                     if fragment in path and (name is None or func == name) and func != "<module>"), default=0.0)
        if name is None:  # a whole module: its outermost function
            total = max((entry[3] for (path, _line, func), entry in stats.items() if fragment in path), default=0.0)
        print(f"  {label:45s} {total * 1000 / count:7.2f}")
    # Counts do not depend on how busy the machine is: Python function calls and SQL statements per request.
    statements = sum(entry[1] for (path, _line, func), entry in stats.items() if "'execute' of 'sqlite3.Cursor'" in func)
    print(f"  {'Python function calls per request':45s} {pstats.Stats(profiler).total_calls / count:7.0f}")
    print(f"  {'SQL statements per request (cursor executes)':45s} {statements / count:7.1f}")


def time_saves(clients, started: list[dict], per_trainee: int, phases: bool, sort: str | None = None) -> float:
    """Each trainee saves `per_trainee` answers, one request each: mean ms per save (`sort`: print cProfile's)."""
    from bench.exam_peak import build_answer

    profiler = cProfile.Profile() if phases or sort else None
    count, began = 0, time.perf_counter()
    for (client, csrf), attempt in zip(clients, started, strict=True):
        for seq, question in enumerate(attempt["questions"][:per_trainee], start=1):
            body = {"saves": [{"position": question["position"], "answer": build_answer(question), "seq": seq}]}
            if profiler:
                profiler.enable()
            response = client.post(f"/api/v1/attempts/{attempt['id']}/answers", json=body,
                                   headers={"X-CSRF-Token": csrf})
            if profiler:
                profiler.disable()
            if response.status_code != 200:
                raise SystemExit(f"save answered {response.status_code}: {response.get_data(as_text=True)[:300]}")
            count += 1
    elapsed = (time.perf_counter() - began) * 1000 / count
    if phases:
        print_phases(profiler, "save", count)
    if sort:
        print("saves:")
        pstats.Stats(profiler).sort_stats(sort).print_stats(45)
    return elapsed


if __name__ == "__main__":
    raise SystemExit(main())
