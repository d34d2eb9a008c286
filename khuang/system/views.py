"""/healthz: 200 when every check passes, 503 naming the failing checks otherwise."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from .selectors import system_health


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and supervisors: database, task queue and disk, as JSON."""
    checks = system_health()
    failing = [c.name for c in checks if not c.ok]
    body = {"status": "fail" if failing else "ok", "failing": failing,
            "checks": {c.name: {"ok": c.ok, **c.detail} for c in checks}}
    return JsonResponse(body, status=503 if failing else 200)
