"""What every database benchmark shares: run a child process per database, SQLite then PostgreSQL."""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def run_child(script: str, database_url: str, count: int, flag: str = "--bookings") -> None:
    """Run `script --child` against one database; the Django test client's host is allowed there."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings",
           "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost"}
    subprocess.run([sys.executable, script, "--child", flag, str(count)], env=env, check=True)


def main(script: str, doc: str, child: Callable[[int], None], pg_database: str,
         count_flag: tuple[str, int] = ("--bookings", 50_000)) -> None:
    """Parse the common flags; as the parent, run the child on a temporary SQLite file and on PostgreSQL
    (database `pg_database`, or KHUANG_BENCH_DB when set)."""
    flag, default = count_flag
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(flag, dest="count", type=int, default=default)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    pg_database = os.environ.get("KHUANG_BENCH_DB", pg_database)
    if args.child:
        child(args.count)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run_child(script, f"sqlite:///{tmp}/bench.sqlite3", args.count, flag)
    if args.sqlite_only:
        return
    try:
        socket.create_connection(("127.0.0.1", 5432), 2).close()
    except OSError:
        print("PostgreSQL: no server on 127.0.0.1:5432, skipped")
        return
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {pg_database}"], check=False, capture_output=True)
    subprocess.run([*psql, f"CREATE DATABASE {pg_database}"], check=True)
    run_child(script, f"postgres://postgres@127.0.0.1:5432/{pg_database}", args.count, flag)
