"""`khuang restore FILE`: replace the whole database by a backup, refused while the server uses it."""

import sys

from django.core.management.base import BaseCommand, CommandError

from khuang.system.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore the whole database from a backup made by `khuang backup` (everything now in it is replaced)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="do not ask for confirmation")

    def handle(self, *args, **opts) -> None:
        if opts["interactive"] and sys.stdin.isatty():
            answer = input(f"Replace the whole database by {opts['file']}? Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        try:
            kind = backup_restore(opts["file"])
        except BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Restored {opts['file']} ({kind}). Run `khuang migrate` if the backup is older "
                          f"than this version of Khuang.")
