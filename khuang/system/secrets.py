"""Secret files kept on the machine: created readable by their owner only, and tightened if found looser."""

import os
import stat
from pathlib import Path


def secret_file(path: Path, make=None) -> str:
    """The content of a secret file, created (mode 0600) with `make()` or a random Django key if missing."""
    if not path.exists():
        if make is None:
            from django.core.management.utils import get_random_secret_key

            make = get_random_secret_key
        # O_EXCL: two processes starting together cannot both write (the loser reads the winner's key).
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(make())
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        path.chmod(0o600)
    return path.read_text().strip()
