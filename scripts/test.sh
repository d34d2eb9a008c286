#!/usr/bin/env bash
# Runs `ruff check .` (a lint failure fails the run), then the suite on SQLite, then on PostgreSQL when one
# answers (KHUANG_TEST_POSTGRES_URL or 127.0.0.1:5432).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_ALLOW_ASYNC_UNSAFE=true

echo "== ruff check . =="
.venv/bin/ruff check . || { echo "ruff found problems: fix them before the suite runs"; exit 1; }

echo "== Test suite on SQLite =="
env -u DATABASE_URL $PY -m pytest -q "$@"
sqlite_rc=$?

pg_url="${KHUANG_TEST_POSTGRES_URL:-}"
if [ -z "$pg_url" ] && $PY -c 'import socket; socket.create_connection(("127.0.0.1", 5432), 2)' 2>/dev/null; then
  pg_url="postgres://postgres@127.0.0.1:5432/khuang"
fi
pg_rc=0
if [ -n "$pg_url" ]; then
  echo "== Test suite on PostgreSQL ($pg_url) =="
  DATABASE_URL="$pg_url" KHUANG_REQUIRE_POSTGRES=1 $PY -m pytest -q "$@"
  pg_rc=$?
else
  echo "== PostgreSQL skipped: no server on 127.0.0.1:5432 and KHUANG_TEST_POSTGRES_URL not set =="
fi
[ $sqlite_rc -eq 0 ] && [ $pg_rc -eq 0 ]
