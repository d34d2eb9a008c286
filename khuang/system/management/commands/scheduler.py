"""`khuang scheduler`: enqueue the periodic jobs of KHUANG_PERIODIC_JOBS on their cron schedules.

django-crontask (APScheduler) does the timing and enqueues through django.tasks, so the jobs run on whichever
backend is configured; with Redis it holds a lock so only one scheduler fires across machines.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Run the periodic-job scheduler (hold sweep, reminders, nightly backup, reclaiming lost work)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--list", action="store_true", help="print the jobs and their next run, then exit")

    def handle(self, *args, **opts) -> None:
        from crontask import cron

        for name, path, schedule in settings.KHUANG_PERIODIC_JOBS:
            cron(schedule, sentry_monitor_config={} if settings.SENTRY_CONFIGURED else None)(import_string(path))
            self.stdout.write(f"{name}: {path} at '{schedule}'")
        if opts["list"]:
            return
        call_command("crontask", no_task_loading=True, no_heartbeat=True)
