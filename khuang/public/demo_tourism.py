"""Seeds the Lanna attractions and festival calendar from khuang/data/ (idempotent)."""

from .services import tourism_seed


def load() -> tuple[int, int]:
    """Load or refresh attractions and festivals; returns how many of each the files hold."""
    return tourism_seed()
