"""Reads of the space inventory."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from khuang.core.errors import NotFoundError

from .models import Closure, Layout, Space, Venue


def space_list(
    *, venue: str | None = None, kind: str | None = None, min_capacity: int | None = None,
    layout: str | None = None, active_only: bool = True,
) -> QuerySet[Space]:
    """Spaces filtered by venue code, kind, and a minimum capacity (in `layout`, or in any layout)."""
    qs = Space.objects.select_related("venue").prefetch_related("parts")
    if active_only:
        qs = qs.filter(is_active=True)
    if venue:
        qs = qs.filter(venue__code=venue)
    if kind:
        qs = qs.filter(kind=kind)
    if min_capacity is not None:
        if layout == Layout.BOOTHS:
            qs = qs.filter(booth_count__gte=min_capacity)
        elif layout:
            qs = qs.filter(**{f"capacity_{layout}__gte": min_capacity})
        else:
            qs = qs.filter(
                Q(capacity_theatre__gte=min_capacity) | Q(capacity_classroom__gte=min_capacity)
                | Q(capacity_banquet__gte=min_capacity) | Q(capacity_reception__gte=min_capacity)
            )
    elif layout:
        qs = qs.filter(**({"booth_count__gt": 0} if layout == Layout.BOOTHS else {f"capacity_{layout}__gt": 0}))
    return qs.order_by("venue__code", "code")


def space_get(code: str, venue: str | None = None) -> Space:
    """One space by code (and venue code when codes repeat across venues)."""
    qs = Space.objects.select_related("venue").prefetch_related("parts").filter(code=code)
    if venue:
        qs = qs.filter(venue__code=venue)
    space = qs.order_by("venue__code").first()
    if space is None:
        raise NotFoundError(_("No space with code %(code)s.") % {"code": code}, field="code")
    return space


def default_venue() -> Venue | None:
    """The venue the pages show when none is chosen."""
    from django.conf import settings

    return Venue.objects.filter(code=settings.KHUANG_DEFAULT_VENUE).first() or Venue.objects.first()


def venue_get(code: str | None) -> Venue:
    """The venue by code (the default venue when none is given); unknown, or no venue at all → 404 naming `venue`.
    The one venue lookup of pages and the API."""
    venue = Venue.objects.filter(code=code).first() if code else default_venue()
    if venue is None:
        raise NotFoundError(_("No venue with code %(code)s.") % {"code": code or "-"}, field="venue")
    return venue


def closure_list(space: Space) -> QuerySet[Closure]:
    """Closures of a space and of every space sharing an atomic part with it (they close it too)."""
    return Closure.objects.select_related("space").filter(space_id__in=_sharing(space)).order_by("start", "pk")


def _sharing(space: Space) -> set[int]:
    """Spaces sharing an atomic part with `space` (itself, its parts, combinations containing them)."""
    parts: dict[int, list[int]] = {}
    for from_id, to_id in Space.parts.through.objects.values_list("from_space_id", "to_space_id"):
        parts.setdefault(from_id, []).append(to_id)

    def leaves(pk: int) -> set[int]:
        out, stack, seen = set(), [pk], set()
        while stack:
            cur = stack.pop()
            if cur in seen:
                continue
            seen.add(cur)
            kids = parts.get(cur)
            if kids:
                stack.extend(kids)
            else:
                out.add(cur)
        return out

    mine = leaves(space.pk)
    return {pk for pk in Space.objects.values_list("pk", flat=True) if leaves(pk) & mine}
