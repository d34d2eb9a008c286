"""Periodic tasks: a tiny scheduler that enqueues the tasks named in `settings.KHUANG_PERIODIC_TASKS` when due.

The tasks themselves are ordinary tasks run by whatever worker the TASKS backend has; only the timing lives here.
`khuang periodic` runs the loop (started beside the worker by `make run`); `khuang periodic --once` suits cron.
Several schedulers may run at once: each due run is claimed with a conditional update, so it is enqueued once.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PeriodicRun

logger = logging.getLogger(__name__)


def schedule() -> dict[str, tuple[str, timedelta]]:
    """name → (task path, interval) from settings."""
    out = {}
    for name, spec in getattr(settings, "KHUANG_PERIODIC_TASKS", {}).items():
        out[name] = (spec["task"], timedelta(seconds=float(spec["every"])))
    return out


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every periodic task that is due and claim its next run; returns the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for name, (path, every) in schedule().items():
        row, _created = PeriodicRun.objects.get_or_create(name=name, defaults={"next_run_at": now})
        with transaction.atomic():
            claimed = PeriodicRun.objects.filter(pk=row.pk, next_run_at__lte=now).update(
                next_run_at=now + every, last_enqueued_at=now)
            if claimed:
                try:
                    import_string(path).enqueue()
                except Exception:  # one broken entry must not stop the others; the claim is rolled back
                    logger.exception("Could not enqueue periodic task %s (%s)", name, path)
                    transaction.set_rollback(True)
                    continue
                enqueued.append(name)
    return enqueued


def seconds_until_next(now: datetime | None = None) -> float:
    """How long the loop may sleep before some task is due (at least a second, at most a minute)."""
    now = now or timezone.now()
    due = PeriodicRun.objects.filter(name__in=list(schedule())).order_by("next_run_at").values_list(
        "next_run_at", flat=True).first()
    if due is None:
        return 1.0
    return max(1.0, min(60.0, (due - now).total_seconds()))
