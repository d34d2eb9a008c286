"""Work other apps do inside a booking's own transaction when it starts or stops occupying its space.

The diary never imports the apps that build on it. They register a *claim hook* here (in their
`AppConfig.ready`), and the booking services call every hook right where they write or clear the booking's
occupancy rows: `hook(booking, True)` when the booking starts occupying (or occupies new times),
`hook(booking, False)` when it stops. A hook that refuses raises an `ApplicationError`; the exception rolls
the whole state change back, so the booking and whatever the hook keeps never disagree.
"""

from collections.abc import Callable
from typing import Any

ClaimHook = Callable[[Any, bool], None]
_hooks: list[ClaimHook] = []


def register_claim_hook(hook: ClaimHook) -> None:
    """Call `hook(booking, occupying)` inside every transaction that changes what a booking occupies."""
    if hook not in _hooks:
        _hooks.append(hook)


def run_claim_hooks(booking: Any, occupying: bool) -> None:
    """Run every registered hook (in registration order); a refusal propagates to the caller."""
    for hook in list(_hooks):
        hook(booking, occupying)
