"""`khuang backup -o FILE`: a consistent backup of the whole database (pg_dump, or SQLite's backup API)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from khuang.system.backups import BackupError, backup_create, backup_name, backup_prune


class Command(BaseCommand):
    help = "Back up the whole database to a file (default: a dated file in KHUANG_BACKUP_DIR)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("-o", "--output", help="the backup file to write")
        parser.add_argument("--keep", type=int, help="then keep only the newest N dated backups in its folder")

    def handle(self, *args, **opts) -> None:
        path = Path(opts["output"]) if opts["output"] else Path(settings.KHUANG_BACKUP_DIR) / backup_name()
        try:
            info = backup_create(path)
        except BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{info.path} ({info.size:,} bytes, {info.vendor})")
        if opts["keep"]:
            for gone in backup_prune(path.parent, opts["keep"]):
                self.stdout.write(f"removed {gone}")
