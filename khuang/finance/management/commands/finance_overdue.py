from django.core.management.base import BaseCommand

from khuang.finance.services import overdue_sweep


class Command(BaseCommand):
    help = ("Reminds customers of overdue instalments and, by the payment rule, lets unpaid holds expire "
            "(run daily, e.g. from cron).")

    def handle(self, *args, **options):
        result = overdue_sweep()
        self.stdout.write(f"reminded {result['reminded']}, holds released {result['lapsed']}")
