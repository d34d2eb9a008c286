"""Domain errors shared by every app; API handlers map them to JSON 4xx responses."""

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any


class ApplicationError(Exception):
    """A refusal a person can act on: a message, an optional field and extra data for the client."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.extra = extra or {}


@dataclass(frozen=True)
class Conflict:
    """One thing in the way of a request: an occupying booking or a closure (`kind`) in a space for a span,
    titled as the viewer may read it. A refusal of another kind (`kind="refused"`) has only a title.

    Services put a list of these in `ConflictError.extra["conflicts"]`; the API renders them with
    `core.api.ConflictOut` (through `as_json`) and pages read the attributes (times stay datetimes).
    """

    id: int | None = None
    kind: str = "booking"
    space: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    title: str = ""
    status: str | None = None
    proposal: str | None = None  # which plan item met it (plan approval)
    message: str | None = None  # the refusal it came with (plan approval)
    field: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The API's JSON shape: ISO times, absent values left out."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                out[f.name] = value.isoformat() if isinstance(value, datetime) else value
        return out


def jsonable(value: Any) -> Any:
    """`value` with every value object (a `Conflict`) in it turned into its JSON shape."""
    if hasattr(value, "as_json"):
        return value.as_json()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


class ValidationFailed(ApplicationError):
    """Input a person can correct (422); `field` names the input at fault. Every app raises this one class (some
    under their own name, e.g. finance's `InvalidInput`)."""

    status_code = 422


class NotFoundError(ApplicationError):
    status_code = 404


class PermissionDeniedError(ApplicationError):
    status_code = 403


class ConflictError(ApplicationError):
    """The request collides with something already there (a booking, a closure)."""

    status_code = 409
