from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand

# Order matters: agencies and venues first, then what refers to them.
DEMO_MODULES = [
    "khuang.accounts.demo",
    "khuang.venues.demo",
    "khuang.public.demo_tourism",
    "khuang.bookings.demo",
    "khuang.planning.demo",
    "khuang.public.demo",
    "khuang.finance.demo",
    "khuang.reports.demo",
    "khuang.operations.demo",
    "khuang.exhibitions.demo",
]


class Command(BaseCommand):
    help = "Loads the demo venue (DIPROM MICE CENTER) and its sample data; running it twice changes nothing."

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            if find_spec(name) is None:
                continue
            import_module(name).load()
            self.stdout.write(f"demo: {name.split('.')[1]} {name.rsplit('.', 1)[1]} loaded")
