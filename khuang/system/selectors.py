"""Reads of the system: the health checks behind /healthz."""

import shutil
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone


@dataclass
class Check:
    """One health check: its name, whether it passes, and the figures behind the verdict."""

    name: str
    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)


def check_database() -> Check:
    """The database answers a query."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure to talk to the database is the verdict itself
        return Check("database", False, {"error": f"{type(exc).__name__}: {exc}"[:300]})
    return Check("database", True, {"vendor": connection.vendor,
                                    "ms": round((time.perf_counter() - started) * 1000, 1)})


def _oldest_waiting_database() -> tuple[int, float | None, int]:
    from django_tasks_db.models import DBTaskResult, get_date_max

    from .models import WorkerBeat
    from .services import lost_cutoff

    ready = DBTaskResult.objects.ready()
    waiting = ready.count()
    oldest = None
    first = ready.order_by("enqueued_at").values("enqueued_at", "run_after").first()
    if first is not None:
        since = first["enqueued_at"] if first["run_after"] == get_date_max() else max(
            first["enqueued_at"], first["run_after"])
        oldest = max(0.0, (timezone.now() - since).total_seconds())
    workers = WorkerBeat.objects.filter(beat_at__gte=lost_cutoff()).count()
    return waiting, oldest, workers


def _oldest_waiting_redis() -> tuple[int, float | None, int]:
    import django_rq
    from rq import Worker

    queue = django_rq.get_queue("default")
    waiting = queue.count
    oldest = None
    jobs = queue.get_jobs(0, 1)
    if jobs and jobs[0].enqueued_at:
        enqueued = jobs[0].enqueued_at
        if timezone.is_naive(enqueued):
            enqueued = timezone.make_aware(enqueued, timezone.UTC)
        oldest = max(0.0, (timezone.now() - enqueued).total_seconds())
    return waiting, oldest, Worker.count(connection=queue.connection)


def check_tasks() -> Check:
    """The task queue moves: the oldest task waiting to run has waited less than the limit."""
    try:
        if settings.KHUANG_TASKS == "redis":
            waiting, oldest, workers = _oldest_waiting_redis()
        else:
            waiting, oldest, workers = _oldest_waiting_database()
    except Exception as exc:  # the queue's store is down: that is what the check reports
        return Check("tasks", False, {"backend": settings.KHUANG_TASKS, "error": f"{type(exc).__name__}: {exc}"[:300]})
    limit = settings.KHUANG_HEALTH_MAX_TASK_WAIT
    ok = oldest is None or oldest <= limit
    return Check("tasks", ok, {"backend": settings.KHUANG_TASKS, "waiting": waiting,
                               "oldest_wait_seconds": None if oldest is None else round(oldest, 1),
                               "max_wait_seconds": limit, "live_workers": workers})


def check_disk() -> Check:
    """The disk holding var/ (database file, backups, uploads) has room left."""
    usage = shutil.disk_usage(settings.VAR_DIR)
    free_mb = usage.free // (1024 * 1024)
    need = settings.KHUANG_HEALTH_MIN_FREE_DISK_MB
    return Check("disk", free_mb >= need, {"free_mb": free_mb, "min_free_mb": need,
                                           "used_percent": round(100 * usage.used / usage.total, 1)})


def system_health() -> list[Check]:
    """Every health check, in a fixed order."""
    return [check_database(), check_tasks(), check_disk()]
