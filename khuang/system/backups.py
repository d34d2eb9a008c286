"""Backups of the whole database and their restore: pg_dump/pg_restore on PostgreSQL, the online backup API
on SQLite. A backup file says what it is by its first bytes, so restore needs no other hint."""

import logging
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from khuang.core.errors import ApplicationError

log = logging.getLogger("khuang.system")
PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
NAME_RE = re.compile(r"^khuang-\d{8}-\d{6}\.(dump|sqlite3)$")


class BackupError(ApplicationError):
    """A backup or restore that cannot be done, with what to do about it."""


@dataclass(frozen=True)
class BackupInfo:
    """A finished backup: where, how big, from which database."""

    path: Path
    size: int
    vendor: str


def _pg_env() -> tuple[dict[str, str], str]:
    s = connection.settings_dict
    env = {**os.environ}
    for key, value in (("PGHOST", s.get("HOST")), ("PGPORT", s.get("PORT")), ("PGUSER", s.get("USER")),
                       ("PGPASSWORD", s.get("PASSWORD"))):
        if value:
            env[key] = str(value)
    return env, s["NAME"]


def _pg_tool(name: str) -> str:
    """The pg_dump/pg_restore whose major version is at least the server's (older ones cannot read it)."""
    connection.ensure_connection()
    server_major = connection.connection.info.server_version // 10000
    candidates = [shutil.which(name)] + sorted(
        (str(p) for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}")), reverse=True)
    found = []
    for tool in filter(None, candidates):
        out = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout
        m = re.search(r"(\d+)(?:\.\d+)?", out)
        major = int(m.group(1)) if m else 0
        found.append(f"{tool} {major}")
        if major >= server_major:
            return tool
    raise BackupError(f"{name} {server_major} or newer is needed for PostgreSQL {server_major} "
                      f"(found: {', '.join(found) or 'none'}); install postgresql-client-{server_major}.")


def _sqlite_path() -> Path:
    return Path(connection.settings_dict["NAME"])


def backup_create(path: Path) -> BackupInfo:
    """Write a consistent backup of the whole database to `path` (readable by the owner only)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        if connection.vendor == "postgresql":
            env, name = _pg_env()
            # Custom format: compressed, one consistent snapshot, restorable object by object.
            run = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                                  "--file", str(tmp), name], env=env, capture_output=True, text=True)
            if run.returncode:
                raise BackupError(f"pg_dump failed: {run.stderr.strip()[-800:]}")
        elif connection.vendor == "sqlite":
            # The online backup API copies a consistent snapshot while the server keeps writing.
            src = sqlite3.connect(_sqlite_path())
            dst = sqlite3.connect(tmp)
            try:
                with dst:
                    src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            finally:
                dst.close()
                src.close()
        else:
            raise BackupError(f"Backups of {connection.vendor} databases are not supported.")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    path.chmod(0o600)
    info = BackupInfo(path=path, size=path.stat().st_size, vendor=connection.vendor)
    log.info("backup written: %s (%d bytes, %s)", path, info.size, info.vendor)
    return info


def backup_kind(path: Path) -> str:
    """"postgresql" or "sqlite", from the file's first bytes."""
    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    raise BackupError(f"{path} is not a Khuang backup (neither a pg_dump custom archive nor an SQLite file).")


def database_holders() -> list[str]:
    """Who else uses the database now: server processes, live workers, other PostgreSQL sessions."""
    from .models import WorkerBeat
    from .services import lost_cutoff
    from .supervisor import running_supervisor

    holders = []
    sup = running_supervisor()
    if sup is not None:
        holders.append(f"khuang serve (pid {sup})")
    try:
        for w in WorkerBeat.objects.filter(beat_at__gte=lost_cutoff()):
            holders.append(f"task worker {w.hostname} pid {w.pid}")
    except Exception:  # an empty or damaged database has no workers table: nobody holds it through it
        pass
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, coalesce(nullif(application_name, ''), '?'), coalesce(host(client_addr), 'local') "
                "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            holders += [f"PostgreSQL session pid {pid} ({app}, {addr})" for pid, app, addr in cursor.fetchall()]
    return holders


STOP_HINT = ("Stop the server and the workers first: Ctrl-C where `make run` runs (or `kill -TERM <pid>` of "
             "`khuang serve`); with systemd: `systemctl stop khuang-web khuang-worker khuang-scheduler`.")


def backup_restore(path: Path) -> str:
    """Replace the whole database by a backup; refused while anyone else holds the database."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    kind = backup_kind(path)
    if kind != connection.vendor:
        raise BackupError(f"{path} is a {kind} backup, but this database is {connection.vendor}.")
    holders = database_holders()
    if holders:
        raise BackupError("The database is in use by: " + "; ".join(holders) + ". " + STOP_HINT)
    for conn in connections.all():
        conn.close()
    if kind == "postgresql":
        env, name = _pg_env()
        tool = _pg_tool("pg_restore")
        connection.close()
        run = subprocess.run([tool, "--clean", "--if-exists", "--no-owner", "--no-privileges",
                              "--single-transaction", "--exit-on-error", "--dbname", name, str(path)],
                             env=env, capture_output=True, text=True)
        if run.returncode:
            raise BackupError(f"pg_restore failed (nothing was changed): {run.stderr.strip()[-800:]}")
    else:
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(_sqlite_path(), timeout=30)
        try:
            if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is damaged (SQLite integrity check failed); nothing was changed.")
            with dst:
                src.backup(dst)
        finally:
            dst.close()
            src.close()
    log.warning("database restored from %s", path)
    return kind


def backup_name(when: datetime | None = None) -> str:
    """khuang-YYYYMMDD-HHMMSS.dump (PostgreSQL) or .sqlite3, in local time."""
    when = timezone.localtime(when or timezone.now())
    ext = "dump" if connection.vendor == "postgresql" else "sqlite3"
    return f"khuang-{when:%Y%m%d-%H%M%S}.{ext}"


def backup_prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups named like the nightly ones; returns those deleted."""
    files = sorted((p for p in Path(directory).glob("khuang-*") if NAME_RE.match(p.name)),
                   key=lambda p: p.name, reverse=True)
    gone = files[max(keep, 1):]
    for p in gone:
        p.unlink(missing_ok=True)
    return gone


def backup_nightly() -> BackupInfo:
    """The nightly job: a new backup in KHUANG_BACKUP_DIR, then keep only the newest KHUANG_BACKUP_KEEP."""
    directory = Path(settings.KHUANG_BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    info = backup_create(directory / backup_name())
    backup_prune(directory, settings.KHUANG_BACKUP_KEEP)
    return info
