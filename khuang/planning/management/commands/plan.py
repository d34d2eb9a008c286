"""`khuang plan export|import`: move the annual plan between the database and the exchange format."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from khuang.core.errors import ApplicationError
from khuang.venues.models import Venue
from khuang.venues.selectors import default_venue

BAD_INPUT = 2  # exit status for refused input, as `khuang plan solve` uses


class Command(BaseCommand):
    help = ("Annual plan files: `plan export --fiscal-year 2570 -o plan.json` writes the exchange format from "
            "the database; `plan import FILE --fiscal-year 2570` loads proposals from .json, .xlsx or .csv "
            "(all rows or none; exit status 2 names every bad activity and field). "
            "`khuang plan solve` needs no database and is handled by the khuang command.")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("file", nargs="?", help="the file to import")
        parser.add_argument("--fiscal-year", type=int, required=True, help="Buddhist Era, e.g. 2570")
        parser.add_argument("--venue", default=None, help="venue code (default: the first venue)")
        parser.add_argument("-o", "--output", default=None, help="export: write here instead of stdout")
        parser.add_argument("--user", default="admin", help="import: who imports (default: admin)")

    def handle(self, *args, action, file, fiscal_year, venue, output, user, **options):
        from khuang.accounts.models import User
        from khuang.planning.imports import proposals_import
        from khuang.planning.instance import exchange_export

        if not 2500 <= fiscal_year <= 2700:
            raise CommandError(f"--fiscal-year is a Buddhist Era year such as 2570, not {fiscal_year}",
                               returncode=BAD_INPUT)
        target = Venue.objects.filter(code=venue).first() if venue else default_venue()
        if target is None:
            raise CommandError(f"No venue {venue!r}", returncode=BAD_INPUT)
        if action == "export":
            data = json.dumps(exchange_export(target, fiscal_year), ensure_ascii=False, indent=2)
            if output:
                Path(output).write_text(data + "\n", encoding="utf-8")
                self.stderr.write(f"wrote {output}")
            else:
                self.stdout.write(data)
            return
        if not file:
            raise CommandError("plan import needs a FILE", returncode=BAD_INPUT)
        actor = User.objects.filter(username=user).first()
        if actor is None:
            raise CommandError(f"No user {user!r} (choose one with --user)", returncode=BAD_INPUT)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}", returncode=BAD_INPUT)
        try:
            created = proposals_import(venue=target, fiscal_year=fiscal_year, filename=path.name,
                                       content=path.read_bytes(), actor=actor)
        except ApplicationError as exc:
            lines = [f"{path.name}: {exc.message}"]
            if not exc.extra.get("errors") and exc.field:
                lines[0] += f" ({exc.field})"
            for e in exc.extra.get("errors", []):
                who = f"activity {e['activity']} (row {e['row']})" if e.get("activity") else f"row {e['row']}"
                lines.append(f"  {who}, {e['field']}: {e['message']}")
            raise CommandError("\n".join(lines), returncode=BAD_INPUT) from exc
        self.stdout.write(f"imported {len(created)} proposals for FY {fiscal_year}")
