"""API authentication: `Authorization: Bearer TOKEN` for scripts, the session cookie for pages."""

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from .models import ApiToken, User


class BearerToken(HttpBearer):
    """Looks the token's digest up; an unknown or expired token, or an inactive user, authenticates nobody."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = ApiToken.objects.select_related("user").filter(digest=ApiToken.hash(token)).first()
        if found is None or not found.user.is_active or found.is_expired:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


class OptionalAuth(SessionAuth):
    """For read endpoints open to everyone: never refuses, but identifies the caller when it can."""

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            user = BearerToken().authenticate(request, header.split(" ", 1)[1].strip())
            if user:
                return user
        user = getattr(request, "user", None)
        return user if (user and user.is_authenticated) else AnonymousCaller()


class AnonymousCaller:
    """Truthy stand-in so ninja lets anonymous readers through."""

    is_authenticated = False
    is_center_staff = False
    is_planner = False
    agency_id = None

    def __bool__(self) -> bool:
        return True


class SignedInSession(SessionAuth):
    """Session auth that answers 401 (not a CSRF failure) when nobody is signed in."""

    def __call__(self, request: HttpRequest):
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated):
            return None
        return super().__call__(request)


api_auth = [BearerToken(), SignedInSession()]
