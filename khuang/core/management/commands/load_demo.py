from importlib import import_module

from django.core.management.base import BaseCommand

# Order matters: agencies and venues first, then what refers to them. Every module must exist: a misspelt name
# fails the command rather than silently leaving part of the demo out.
DEMO_MODULES = [
    "khuang.accounts.demo",
    "khuang.venues.demo",
    "khuang.public.demo_tourism",
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
            import_module(name).load()
            self.stdout.write(f"demo: {name.split('.')[1]} {name.rsplit('.', 1)[1]} loaded")
