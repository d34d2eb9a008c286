"""Checks other apps add to confirming a booking, without the diary importing them.

An app registers a callable in its AppConfig.ready(); `booking_confirm` runs every check before it changes
anything, and a check refuses by raising an ApplicationError (e.g. finance: "a signed agreement first").
"""

from collections.abc import Callable
from typing import Any

ConfirmCheck = Callable[[Any, Any], None]  # (booking, actor) -> None, raises to refuse
_confirm_checks: list[ConfirmCheck] = []


def register_confirm_check(check: ConfirmCheck) -> None:
    """Add a check run before a booking is confirmed (registering the same callable twice keeps one)."""
    if check not in _confirm_checks:
        _confirm_checks.append(check)


def run_confirm_checks(booking, actor) -> None:
    """Run every registered check; the first refusal propagates to the caller."""
    for check in list(_confirm_checks):
        check(booking, actor)
