"""Writes of the system: worker heartbeats and reclaiming the work of lost workers."""

import logging
import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import WorkerBeat

log = logging.getLogger("khuang.system")
MAX_ATTEMPTS = 3  # a task whose worker died this many times is marked failed instead of run again


class WorkerLost(Exception):
    """Recorded as the error of a task whose worker died while running it."""


def lost_cutoff() -> datetime:
    """Workers (and plan runs) silent since before this moment are lost."""
    return timezone.now() - timedelta(seconds=settings.KHUANG_WORKER_LOST_AFTER)


def worker_beat(worker_id: str, started_at: datetime) -> None:
    """Record that this worker process is alive."""
    now = timezone.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={
            "hostname": socket.gethostname()[:255], "pid": os.getpid(), "started_at": started_at, "beat_at": now})


def worker_gone(worker_id: str) -> None:
    """A worker that stops cleanly says so, so its tasks are never mistaken for lost ones."""
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def tasks_reclaim() -> dict[str, int]:
    """Give back the tasks that a dead worker left running: run again (up to 3 tries), then failed.

    Database backend: a RUNNING task whose worker has not beaten for KHUANG_WORKER_LOST_AFTER seconds.
    Redis (RQ): RQ's own abandoned-job cleanup (its worker heartbeat expired) moves them to failed.
    """
    if settings.KHUANG_TASKS == "redis":
        return _rq_reclaim()
    from django_tasks_db.models import DBTaskResult

    cutoff = lost_cutoff()
    alive = set(WorkerBeat.objects.filter(beat_at__gte=cutoff).values_list("worker_id", flat=True))
    counts = {"requeued": 0, "failed": 0}
    for row in DBTaskResult.objects.running().filter(started_at__lt=cutoff).only("id", "worker_ids"):
        if row.worker_ids and row.worker_ids[-1] in alive:
            continue
        with transaction.atomic():
            row = DBTaskResult.objects.select_for_update().filter(pk=row.pk, status="RUNNING").first()
            if row is None or (row.worker_ids and row.worker_ids[-1] in alive):
                continue
            if len(row.worker_ids) < MAX_ATTEMPTS:
                row.status = "READY"
                row.started_at = None
                row.save(update_fields=["status", "started_at"])
                counts["requeued"] += 1
            else:
                row.set_failed(WorkerLost(f"The worker running this task stopped {len(row.worker_ids)} times."))
                counts["failed"] += 1
        log.warning("task %s (%s) left running by lost worker %s: %s", row.pk, row.task_path,
                    row.worker_ids[-1] if row.worker_ids else "?", row.status)
    return counts


def _rq_reclaim() -> dict[str, int]:
    import django_rq
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    failed = 0
    for name in settings.RQ_QUEUES:
        queue = django_rq.get_queue(name)
        before = FailedJobRegistry(queue=queue).count
        StartedJobRegistry(queue=queue).cleanup()
        failed += FailedJobRegistry(queue=queue).count - before
    return {"requeued": 0, "failed": max(failed, 0)}
