#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL server on a free local port, then stops it.
# Usage: scripts/with-postgres.sh COMMAND... (TEST_DATABASE_URL is exported for the command)
set -euo pipefail
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
DATA_DIR=$(mktemp -d /tmp/lms-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
RUN_AS=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root: use the postgres system user.
  chown postgres "$DATA_DIR"
  RUN_AS=(runuser -u postgres --)
fi
cleanup() {
  "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT
"${RUN_AS[@]}" "$PG_BIN/initdb" -D "$DATA_DIR/data" -U lms --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
# Tests: no durability at all (fsync off). Benchmarks (PG_BENCH=1): fsync and full-page writes on as in production,
# commits not waiting for their WAL flush (synchronous_commit=off: a crash may lose the last fraction of a second of
# commits, never corrupt; the same promise as SQLite's WAL with synchronous=NORMAL that the app uses).
if [ "${PG_BENCH:-}" = "1" ]; then
  SETTINGS="-c synchronous_commit=off -c max_connections=200"
else
  SETTINGS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
"${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR/data" -l "$DATA_DIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA_DIR $SETTINGS" start >/dev/null
"${RUN_AS[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U lms lms_test
export TEST_DATABASE_URL="postgresql+psycopg://lms@127.0.0.1:$PORT/lms_test"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $PORT"
"$@"
