"""RQ's worker with its heartbeat timing from settings (KHUANG_TASKS=redis).

RQ's worker process beats every `job_monitoring_interval` seconds while a job runs; a job whose beats stop for
interval + slack seconds (its worker died outright) is abandoned, and RQ's registry cleanup, run by our
`reclaim-lost-tasks` periodic job, moves it to the failed registry. A work horse killed under a live worker is
marked failed at once by its parent.
"""

from django.conf import settings
from rq import Worker as RQWorker


class Worker(RQWorker):
    """rq.Worker with KHUANG_RQ_MONITOR_INTERVAL (30 s) and KHUANG_RQ_HEARTBEAT_SLACK (60 s, as RQ's own)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("job_monitoring_interval", settings.KHUANG_RQ_MONITOR_INTERVAL)
        super().__init__(*args, **kwargs)

    def get_heartbeat_ttl(self, job, working_time: float = 0.0) -> int:
        slack = settings.KHUANG_RQ_HEARTBEAT_SLACK
        if job.timeout and job.timeout > 0:
            return int(min(job.timeout - working_time, self.job_monitoring_interval)) + slack
        return self.job_monitoring_interval + slack
