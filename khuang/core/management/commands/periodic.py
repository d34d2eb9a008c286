import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from khuang.core.periodic import enqueue_due, schedule, seconds_until_next


class Command(BaseCommand):
    help = ("Enqueue the periodic tasks of settings.KHUANG_PERIODIC_TASKS when due (the hold sweep, ...); "
            "runs until stopped, or once with --once.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="enqueue what is due now and exit")

    def handle(self, *args, once: bool, **options):
        self.running = True
        if once:
            self._tick()
            return
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        self.stdout.write("Periodic tasks: " + ", ".join(
            f"{name} every {every.total_seconds():g}s" for name, (_path, every) in schedule().items()))
        while self.running:
            close_old_connections()
            self._tick()
            wait = seconds_until_next()
            while self.running and wait > 0:
                time.sleep(min(wait, 0.5))
                wait -= 0.5

    def _tick(self) -> None:
        for name in enqueue_due():
            self.stdout.write(f"enqueued {name}")

    def _stop(self, signum, frame) -> None:
        self.running = False
