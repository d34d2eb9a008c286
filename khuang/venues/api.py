"""Space inventory endpoints: anyone reads, center staff create and edit."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from khuang.accounts.auth import OptionalAuth, api_auth
from khuang.core.api import ApiId, ConflictErrorOut, ErrorOut, Pagination
from khuang.core.errors import NotFoundError, PermissionDeniedError

from . import selectors, services
from .models import Closure, Space
from .schemas import ClosureIn, ClosureOut, LayoutName, SpaceIn, SpaceKind, SpaceOut, SpacePatch

router = Router(tags=["spaces"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictErrorOut, 422: ErrorOut}


class SpaceFilters(Schema):
    venue: str | None = Field(None, max_length=30)
    kind: SpaceKind | None = None
    min_capacity: int | None = Field(None, ge=0, le=1_000_000)
    layout: LayoutName | None = None


@router.get("/spaces", response={200: list[SpaceOut], **ERRORS}, auth=OptionalAuth())
@paginate(Pagination)
def list_spaces(request: HttpRequest, filters: Query[SpaceFilters]):
    """Spaces, filtered by venue, kind and minimum capacity (optionally in one layout)."""
    return [SpaceOut.from_space(s) for s in selectors.space_list(**filters.dict())]


@router.get("/spaces/{code}", response={200: SpaceOut, **ERRORS}, auth=OptionalAuth())
def get_space(request: HttpRequest, code: str, venue: str | None = None):
    """One space by code."""
    return SpaceOut.from_space(selectors.space_get(code, venue))


@router.post("/spaces", response={201: SpaceOut, **ERRORS}, auth=api_auth)
def create_space(request: HttpRequest, payload: SpaceIn):
    """Create a space (center staff)."""
    data = payload.dict(exclude_unset=True)
    venue_code = data.pop("venue", None)
    venue = selectors.venue_get(venue_code)
    parts = data.pop("parts", None)
    space = services.space_create(venue=venue, data=data, parts=parts, actor=request.auth)
    return Status(201, SpaceOut.from_space(space))


@router.patch("/spaces/{code}", response={200: SpaceOut, **ERRORS}, auth=api_auth)
def update_space(request: HttpRequest, code: str, payload: SpacePatch, venue: str | None = None):
    """Change a space (center staff); only the fields sent change.

    New parts recompute the occupancy of the space's bookings; a change that would make bookings overlap, or
    taking a space with live bookings out of use, is refused (409) listing the bookings in the way."""
    if not Space.may_manage(request.auth):
        raise PermissionDeniedError(_("Only center staff may change spaces."))
    space = selectors.space_get(code, venue)
    data = payload.dict(exclude_unset=True)
    parts = data.pop("parts", None)
    space = services.space_update(space=space, data=data, parts=parts, actor=request.auth)
    return SpaceOut.from_space(space)


@router.get("/spaces/{code}/closures", response={200: list[ClosureOut], **ERRORS}, auth=OptionalAuth())
def list_closures(request: HttpRequest, code: str, venue: str | None = None):
    """Closures of a space (and of the spaces sharing a part with it), oldest first."""
    return [ClosureOut.from_closure(c) for c in selectors.closure_list(selectors.space_get(code, venue))]


@router.post("/spaces/{code}/closures", response={201: ClosureOut, **ERRORS}, auth=api_auth)
def create_closure(request: HttpRequest, code: str, payload: ClosureIn, venue: str | None = None):
    """Close a space for a period (center staff); refused (409) over occupying bookings, listing them."""
    if not Space.may_manage(request.auth):
        raise PermissionDeniedError(_("Only center staff may change spaces."))
    closure = services.closure_create(space=selectors.space_get(code, venue), start=payload.start, end=payload.end,
                                      reason=payload.reason, actor=request.auth)
    return Status(201, ClosureOut.from_closure(closure))


@router.delete("/closures/{closure_id}", response={204: None, **ERRORS}, auth=api_auth)
def delete_closure(request: HttpRequest, closure_id: ApiId):
    """Reopen: remove a closure (center staff)."""
    if not Space.may_manage(request.auth):
        raise PermissionDeniedError(_("Only center staff may change spaces."))
    closure = Closure.objects.select_related("space").filter(pk=closure_id).first()
    if closure is None:
        raise NotFoundError(_("No closure %(id)s.") % {"id": closure_id})
    services.closure_delete(closure=closure, actor=request.auth)
    return Status(204, None)
