"""Writes to the space inventory; every rule that keeps it consistent lives here."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from khuang.core.errors import PermissionDeniedError
from khuang.core.models import log_action

from .models import Closure, Space, Venue

SPACE_FIELDS = (
    "code", "name_th", "name_en", "kind", "area_sqm", "capacity_theatre", "capacity_classroom",
    "capacity_banquet", "capacity_reception", "booth_count", "clear_height_m", "floor_load_t_sqm",
    "equipment", "is_active", "illustrative", "notes",
)  # fmt: skip


def _leaves(space: Space, chosen: dict[int, list[Space]]) -> set[int]:
    """Atomic leaves of a space, using `chosen` for the parts being edited (not yet saved)."""
    out: set[int] = set()
    stack = [space]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if current.pk in seen:
            continue
        seen.add(current.pk)
        children = chosen.get(current.pk) if current.pk in chosen else list(current.parts.all())
        if children:
            stack.extend(children)
        else:
            out.add(current.pk)
    return out


def validate_space_parts(space: Space, venue: Venue, parts: Iterable[Space]) -> None:
    """Parts must be of the same venue, form no cycle, and give a combined space ≥ 2 atomic parts."""
    parts = list(parts)
    if not parts:
        return
    for part in parts:
        if part.venue_id != venue.pk:
            raise ValidationError(
                {"parts": _("Space %(code)s belongs to another venue.") % {"code": part.code}}
            )
        if space.pk and part.pk == space.pk:
            raise ValidationError({"parts": _("A space cannot be a part of itself.")})
    if space.pk:
        # A cycle exists if the space is reachable from one of its new parts.
        stack = list(parts)
        seen: set[int] = set()
        while stack:
            current = stack.pop()
            if current.pk == space.pk:
                raise ValidationError(
                    {"parts": _("These parts would make a cycle: %(code)s contains itself.") % {"code": space.code}}
                )
            if current.pk in seen:
                continue
            seen.add(current.pk)
            stack.extend(current.parts.all())
    chosen = {space.pk: parts} if space.pk else {}
    leaves: set[int] = set()
    for part in parts:
        leaves |= _leaves(part, chosen)
    if len(leaves) < 2:
        raise ValidationError({"parts": _("A combined space needs at least two atomic parts.")})


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    """Keep inventory fields only; an explicit null is allowed only where the field may be empty."""
    out = {k: v for k, v in data.items() if k in SPACE_FIELDS}
    for key, value in out.items():
        if value is None and not Space._meta.get_field(key).null:
            raise ValidationError({key: _("This field cannot be empty.")})
    return out


def _check_code_free(venue: Venue, code: str | None, exclude_pk: int | None = None) -> None:
    taken = Space.objects.filter(venue=venue, code=code).exclude(pk=exclude_pk)
    if code and taken.exists():
        raise ValidationError(
            {"code": _("A space with code %(code)s already exists in this venue.") % {"code": code}}
        )


def _resolve_parts(venue: Venue, codes: list[str]) -> list[Space]:
    found = {s.code: s for s in Space.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationError({"parts": _("Unknown space: %(codes)s") % {"codes": ", ".join(missing)}})
    in_venue = {s.code: s for s in Space.objects.filter(venue=venue, code__in=codes)}
    return [in_venue.get(c) or found[c] for c in codes]


@transaction.atomic
def space_create(*, venue: Venue, data: dict[str, Any], parts: list[str] | None = None, actor=None) -> Space:
    """Create a space after validating every field and its parts; nothing is written on error."""
    if not Space.may_manage(actor):
        raise PermissionDeniedError(_("Only center staff may change spaces."))
    space = Space(venue=venue, **_fields(data))
    _check_code_free(venue, space.code)
    space.full_clean()
    part_spaces = _resolve_parts(venue, parts or [])
    validate_space_parts(space, venue, part_spaces)
    space.save()
    space.parts.set(part_spaces)
    log_action(space, "space_create", actor=actor, data={"code": space.code})
    return space


@transaction.atomic
def space_update(*, space: Space, data: dict[str, Any], parts: list[str] | None = None, actor=None) -> Space:
    """Change a space's fields and (when given) its parts, validated as on create. The diary is squared with the
    change in this transaction (bookings.inventory): new parts recompute occupancy, deactivation and overlaps
    are refused with a ConflictError listing the bookings in the way."""
    if not Space.may_manage(actor):
        raise PermissionDeniedError(_("Only center staff may change spaces."))
    changed = _fields(data)
    for key, value in changed.items():
        setattr(space, key, value)
    _check_code_free(space.venue, space.code, exclude_pk=space.pk)
    space.full_clean()
    if parts is not None:
        part_spaces = _resolve_parts(space.venue, parts)
        validate_space_parts(space, space.venue, part_spaces)
    space.save()
    if parts is not None:
        space.parts.set(part_spaces)
    log_action(space, "space_update", actor=actor, data={"fields": sorted(changed), "parts": parts})
    return space


# ---------------------------------------------------------------- closures

@transaction.atomic
def closure_create(*, space: Space, start, end, reason: str, actor=None) -> Closure:
    """Close a space for a period. Saving it is checked against the diary (bookings.inventory): a closure over
    occupying bookings is refused with a ConflictError listing them, and nothing is written."""
    if not Space.may_manage(actor):
        raise PermissionDeniedError(_("Only center staff may change spaces."))
    closure = Closure(space=space, start=start, end=end, reason=(reason or "").strip())
    closure.full_clean()
    closure.save()
    log_action(closure, "closure_create", actor=actor, data={"space": space.code, "start": start.isoformat(),
                                                              "end": end.isoformat()})
    return closure


@transaction.atomic
def closure_delete(*, closure: Closure, actor=None) -> None:
    """Reopen a space: remove a closure."""
    if not Space.may_manage(actor):
        raise PermissionDeniedError(_("Only center staff may change spaces."))
    log_action(closure, "closure_delete", actor=actor, data={"space": closure.space.code,
                                                              "start": closure.start.isoformat()})
    closure.delete()
