"""Domain errors shared by every app; API handlers map them to JSON 4xx responses."""

from typing import Any


class ApplicationError(Exception):
    """A refusal a person can act on: a message, an optional field and extra data for the client."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.extra = extra or {}


class NotFoundError(ApplicationError):
    status_code = 404


class PermissionDeniedError(ApplicationError):
    status_code = 403


class ConflictError(ApplicationError):
    """The request collides with something already there (a booking, a closure)."""

    status_code = 409
