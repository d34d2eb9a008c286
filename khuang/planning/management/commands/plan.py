import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khuang.core.errors import ApplicationError
from khuang.venues.models import Venue
from khuang.venues.selectors import default_venue


class Command(BaseCommand):
    help = ("Annual plan files: `plan export --fiscal-year 2571 -o plan.json` writes the exchange format from "
            "the database; `plan import FILE --fiscal-year 2571` loads proposals from .json, .xlsx or .csv "
            "(all rows or none). `khuang plan solve` needs no database and is handled by the khuang command.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("file", nargs="?")
        parser.add_argument("--fiscal-year", type=int, required=True, help="Buddhist Era, e.g. 2571")
        parser.add_argument("--venue", default=None)
        parser.add_argument("-o", "--output", default=None)
        parser.add_argument("--user", default="admin", help="who imports (default: admin)")

    def handle(self, *args, action, file, fiscal_year, venue, output, user, **options):
        from khuang.accounts.models import User
        from khuang.planning.imports import proposals_import
        from khuang.planning.instance import build_instance, instance_to_json

        target = Venue.objects.filter(code=venue).first() if venue else default_venue()
        if target is None:
            raise CommandError(f"No venue {venue!r}")
        if action == "export":
            data = json.dumps(instance_to_json(build_instance(target, fiscal_year)), ensure_ascii=False, indent=2)
            if output:
                Path(output).write_text(data + "\n", encoding="utf-8")
                self.stderr.write(f"wrote {output}")
            else:
                self.stdout.write(data)
            return
        if not file:
            raise CommandError("plan import needs a FILE")
        actor = User.objects.filter(username=user).first()
        if actor is None:
            raise CommandError(f"No user {user!r}")
        path = Path(file)
        if not path.exists():
            raise CommandError(f"No file {file}")
        try:
            created = proposals_import(venue=target, fiscal_year=fiscal_year, filename=path.name,
                                       content=path.read_bytes(), actor=actor)
        except ApplicationError as exc:
            lines = [exc.message] + [f"  row {e['row']}, {e['field']}: {e['message']}"
                                     for e in exc.extra.get("errors", [])]
            raise CommandError("\n".join(lines)) from exc
        self.stdout.write(f"imported {len(created)} proposals for FY {fiscal_year}")
