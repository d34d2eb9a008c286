"""`khuang serve`: the production server (gunicorn), the task worker and the scheduler, supervised."""

import os

from django.core.management.base import BaseCommand

from khuang.system.supervisor import Program, Supervisor, manage, running_supervisor, web_argv


class Command(BaseCommand):
    help = "Serve Khuang with gunicorn, a task worker and the periodic-job scheduler; restart any that dies."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")),
                            help="web worker processes (WEB_CONCURRENCY, default 2)")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "8")),
                            help="threads per web worker (WEB_THREADS, default 8)")
        parser.add_argument("--task-workers", type=int, default=int(os.environ.get("TASK_WORKERS", "1")))
        parser.add_argument("--no-scheduler", action="store_true", help="run no periodic jobs here")

    def handle(self, *args, **opts) -> None:
        other = running_supervisor()
        if other is not None and other != os.getpid():
            self.stderr.write(f"khuang serve is already running (pid {other}).")
            raise SystemExit(1)
        programs = [Program("web", web_argv(opts["host"], opts["port"], opts["workers"], opts["threads"]))]
        for i in range(opts["task_workers"]):
            programs.append(Program(f"worker-{i + 1}" if opts["task_workers"] > 1 else "worker", manage("worker")))
        if not opts["no_scheduler"]:
            programs.append(Program("scheduler", manage("scheduler")))
        raise SystemExit(Supervisor(programs).run())
