"""The reference for `exam_peak.py --saturate`: a bare Flask app whose one endpoint INSERTs a row and commits.

Same database (the engine of lms.db, so SQLite gets the same WAL, busy timeout and writer queue), same
gunicorn settings; no session, no log-in, no CSRF, no ORM. What a save costs beyond this is the framework.

    .venv/bin/gunicorn --worker-class gthread --workers 2 --threads 4 bench.bare_insert:app
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Flask, request
from sqlalchemy import Column, Integer, MetaData, Table, Text, insert, text

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lms.db import make_engine, release_writer, write_intent  # noqa: E402

metadata = MetaData()
rows = Table("bench_bare_inserts", metadata, Column("id", Integer, primary_key=True), Column("body", Text))


def create_bare_app(database_url: str) -> Flask:
    """The app: POST /insert (one row, one commit) and GET /healthz (one SELECT 1)."""
    engine = make_engine(database_url)
    metadata.create_all(engine)
    app = Flask(__name__)

    @app.post("/insert")
    def insert_one():
        write_intent.set(True)
        try:
            with engine.begin() as connection:
                connection.execute(insert(rows).values(body=request.get_data(as_text=True)[:2000]))
        finally:
            write_intent.set(False)
            release_writer()
        return {"ok": True}

    @app.get("/healthz")
    def healthz():
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"ok": True}

    return app


app = create_bare_app(os.environ["DATABASE_URL"]) if "DATABASE_URL" in os.environ else None
