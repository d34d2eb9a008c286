"""`khuang worker`: the background task worker of the configured backend, with a heartbeat.

Database backend: django-tasks-db's worker, plus a thread that records this worker's heartbeat and gives
back tasks left running by workers that died. Redis: RQ's worker (with its scheduler for delayed tasks).
"""

import threading

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

BEAT_SECONDS = 5
RECLAIM_EVERY = 6  # beats


class Command(DbWorkerCommand):
    help = "Run the background task worker (database or Redis, as configured)."

    def add_arguments(self, parser) -> None:
        if settings.KHUANG_TASKS == "redis":
            parser.add_argument("--burst", action="store_true", help="run the queued tasks, then exit")
        else:
            super().add_arguments(parser)

    def handle(self, *args, **options):
        if settings.KHUANG_TASKS == "redis":
            call_command("rqworker", "default", job_class="django_tasks_rq.Job",
                         worker_class="khuang.system.rq.Worker", with_scheduler=True, burst=options["burst"])
            return
        from khuang.system.services import tasks_reclaim, worker_beat, worker_gone

        worker_id = options["worker_id"]
        started = timezone.now()
        stop = threading.Event()

        def beat() -> None:
            n = 0
            try:
                while True:
                    try:
                        worker_beat(worker_id, started)
                        if n % RECLAIM_EVERY == 0:
                            tasks_reclaim()
                    except DatabaseError:  # a locked or restarting database: try again next beat
                        pass
                    n += 1
                    if stop.wait(BEAT_SECONDS):
                        break
            finally:
                connection.close()

        thread = threading.Thread(target=beat, name="khuang-heartbeat", daemon=True)
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            thread.join(timeout=10)
            try:
                worker_gone(worker_id)
            except DatabaseError:
                pass
