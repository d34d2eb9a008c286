"""Plumbing every app's pages share: htmx requests and service refusals shown as Django's error pages."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .errors import ApplicationError, PermissionDeniedError


def is_htmx(request: HttpRequest) -> bool:
    """True for a request htmx made (it wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"


def forbid_if_refused(exc: ApplicationError) -> None:
    """A service's permission refusal becomes the 403 page (the API answers 403 too); any other refusal returns,
    for the page to show on its form."""
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(exc.message) from exc
