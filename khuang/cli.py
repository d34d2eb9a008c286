"""The `khuang` command: `plan solve` and `booths solve` need no database; everything else is a Django command.

    khuang plan solve IN.json -o OUT.json   solve an exchange-format instance
    khuang booths solve IN.json -o OUT.json assign exhibitors to booths (docs/BOOTHS.md)
    khuang token create USERNAME            print a new API token
    khuang serve                            web server (gunicorn) + task worker + scheduler, supervised
    khuang worker                           run the background task worker
    khuang scheduler                        enqueue the periodic jobs on their schedules
    khuang backup -o FILE / restore FILE    back up / restore the whole database
    khuang plan export|import ...           move plans between the database and the exchange format
    khuang <any manage.py command>
"""

import os
import sys
from pathlib import Path

ALIASES: dict[str, str] = {}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `khuang` console script."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:2] == ["plan", "solve"]:
        from khuang.planning.optimizer.cli import main as solve_main

        return solve_main(args[2:])
    if args[:2] == ["booths", "solve"]:
        from khuang.exhibitions.booths.cli import main as booths_main

        return booths_main(args[2:])
    if not args or args[0] in {"-h", "--help"}:
        print(__doc__)
        return 0
    args[0] = ALIASES.get(args[0], args[0])
    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["khuang", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
