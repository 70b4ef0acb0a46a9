"""Where a start's time goes: N trainees start the test in-process (Flask's test client, no gunicorn).

Run by hand from the project root (see bench/README.md):

    .venv/bin/python bench/profile_start.py --trainees 200            # mean time per start, by phase
    .venv/bin/python bench/profile_start.py --trainees 200 --profile  # plus cProfile's top functions

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
    args = parser.parse_args(argv)

    from lms import create_app
    from lms.auth.models import User
    from lms.db import get_session

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/profile.db"
        prepared = prepare_database(url, args.trainees, 120, prepare=not args.no_prepare)
        app = create_app({"DATABASE_URL": url, "LOG_LEVEL": "WARNING", "SECRET_KEY": "x" * 48,
                          "SESSION_COOKIE_SECURE": False})
        clients = []
        with app.app_context():
            tokens = {u.id: u.session_token for u in get_session().query(User)}
        for user_id, _name in prepared.users:
            client = app.test_client()
            with client.session_transaction() as flask_session:
                flask_session["_user_id"] = f"{user_id}:{tokens[user_id]}"
                flask_session["_fresh"] = True
            match = CSRF_META.search(client.get("/").get_data(as_text=True))
            clients.append((client, match.group(1)))

        profiler = cProfile.Profile() if args.profile else None
        began = time.perf_counter()
        for client, csrf in clients:
            if profiler:
                profiler.enable()
            response = client.post(f"/api/v1/tests/{prepared.quiz_id}/attempts", json={},
                                   headers={"X-CSRF-Token": csrf})
            if profiler:
                profiler.disable()
            if response.status_code != 201:
                raise SystemExit(f"start answered {response.status_code}: {response.get_data(as_text=True)[:300]}")
        start_ms = (time.perf_counter() - began) * 1000 / len(clients)

        client = clients[0][0]
        began = time.perf_counter()
        for _ in range(len(clients)):
            client.get("/healthz")
        healthz_ms = (time.perf_counter() - began) * 1000 / len(clients)

        print(f"{len(clients)} starts ({'prepared' if not args.no_prepare else 'cold draw'}): "
              f"{start_ms:.2f} ms each; /healthz {healthz_ms:.2f} ms")
        if profiler:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
