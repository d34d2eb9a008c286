"""The one NinjaAPI and its error mapping: every refusal is JSON a person can act on, in their language."""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, Field, field_serializer

from .errors import ApplicationError, jsonable

MAX_UTC_OFFSET = timedelta(hours=14)  # the widest offset any time zone uses


def _to_utc(value: datetime) -> datetime:
    """Aware datetimes move to local time (databases reject odd offsets); naive ones are left for the service."""
    offset = value.utcoffset()
    if offset is None:
        return value
    if abs(offset) > MAX_UTC_OFFSET:
        raise ValueError("the UTC offset must be between -14:00 and +14:00")
    if not datetime(1900, 1, 1, tzinfo=UTC) <= value <= datetime(2200, 1, 1, tzinfo=UTC):
        raise ValueError("the date must lie between 1900 and 2200")
    return timezone.localtime(value)


# ISO 8601 date-time input for API schemas: offsets checked, then expressed in the venue's time zone.
ApiDateTime = Annotated[datetime, AfterValidator(_to_utc)]

def choices_of(choices: type[models.TextChoices], *, only: Iterable[str] | None = None) -> Any:
    """The schema type of a model's choices: exactly their values (all, or `only` these), in the model's order, so
    no schema retypes a list the model owns."""
    return Literal[tuple(choices.values if only is None else (str(v) for v in only))]


# A row id in a path or query: databases store 64-bit keys, so anything larger is refused (422), not a 500.
MAX_ID = 2**63 - 1
ApiId = Annotated[int, Field(ge=1, le=MAX_ID)]


class ErrorOut(Schema):
    """An error: `detail` is the message to show; `field` names the input at fault, when there is one."""

    detail: str
    field: str | None = None
    errors: dict[str, list[str]] | None = None


class ConflictOut(Schema):
    """One thing in the way: a booking or a closure (private titles of other agencies are hidden);
    renders `core.errors.Conflict`."""

    id: int
    kind: str
    space: str
    start: datetime
    end: datetime
    title: str
    status: str

    @field_serializer("start", "end")
    def _iso(self, value: datetime) -> str:
        return value.isoformat()


class ConflictErrorOut(Schema):
    """409: what stands in the way."""

    detail: str
    field: str | None = None
    conflicts: list[ConflictOut] = []


def _field_of(loc: list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "data")]
    return ".".join(parts) or "body"


def install_error_handlers(api: NinjaAPI) -> None:
    """Map domain, Django and schema errors to JSON with a readable `detail`."""

    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        body = {"detail": exc.message, "field": exc.field, **jsonable(exc.extra)}
        return api.create_response(request, body, status=exc.status_code)

    @api.exception_handler(DjangoValidationError)
    def django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        else:
            errors = {"__all__": [str(m) for m in exc.messages]}
        field = next(iter(errors))
        detail = "; ".join(f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v) for k, v in errors.items())
        return api.create_response(
            request, {"detail": detail, "field": None if field == "__all__" else field, "errors": errors}, status=422
        )

    @api.exception_handler(NinjaValidationError)
    def schema_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for err in exc.errors:
            errors.setdefault(_field_of(list(err.get("loc", []))), []).append(str(err.get("msg", "")))
        field = next(iter(errors), None)
        detail = _("Invalid input: %(details)s") % {
            "details": "; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items())
        }
        return api.create_response(request, {"detail": detail, "field": field, "errors": errors}, status=422)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    @api.exception_handler(ObjectDoesNotExist)
    def no_object(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(
            request, {"detail": _("Sign in or send 'Authorization: Bearer TOKEN'.")}, status=401
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


class Pagination(LimitOffsetPagination):
    """`limit` (1–1000, default 100) and `offset` (0–1,000,000,000) with bounds, so an absurd value is a 422 naming
    the parameter rather than a silent or failing query."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=1_000_000_000)
