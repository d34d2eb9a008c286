"""Plumbing every app's pages share: htmx requests and service refusals shown as Django's error pages."""

from django.conf import settings
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


def client_address(request: HttpRequest) -> str:
    """The visitor's address. Behind the reverse proxy (a peer listed in KHUANG_TRUSTED_PROXIES, from
    FORWARDED_ALLOW_IPS) it is the last address in X-Forwarded-For that is not itself a trusted proxy; otherwise
    the peer. Throttles (registration, sign-in) count by this, so a crowd behind one proxy is not one person."""
    peer = request.META.get("REMOTE_ADDR", "") or ""
    trusted = set(getattr(settings, "KHUANG_TRUSTED_PROXIES", ()))
    if peer not in trusted:
        return peer
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop[:64]
    return peer
