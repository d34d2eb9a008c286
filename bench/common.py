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


def run_child(script: str, database_url: str, bookings: int) -> None:
    """Run `script --child` against one database; the Django test client's host is allowed there."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings",
           "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost"}
    subprocess.run([sys.executable, script, "--child", "--bookings", str(bookings)], env=env, check=True)


def main(script: str, doc: str, child: Callable[[int], None], pg_database: str) -> None:
    """Parse the common flags; as the parent, run the child on a temporary SQLite file and on PostgreSQL."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bookings", type=int, default=50_000)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.bookings)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run_child(script, f"sqlite:///{tmp}/bench.sqlite3", args.bookings)
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
    run_child(script, f"postgres://postgres@127.0.0.1:5432/{pg_database}", args.bookings)
