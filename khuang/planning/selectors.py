"""Reads of the annual plan: proposals a user may see, plan versions, comparisons, the season overlay."""

from datetime import date
from typing import Any

import holidays
from django.db.models import QuerySet

from .models import Plan, PlanItem, Proposal


def proposal_list(*, viewer, venue=None, fiscal_year: int | None = None, status: str | None = None,
                  agency: str | None = None) -> QuerySet[Proposal]:
    """Proposals the viewer may see: staff all, agency members their agency's."""
    qs = Proposal.objects.visible_to(viewer).select_related("agency", "venue").prefetch_related("allowed_spaces")
    if venue is not None:
        qs = qs.filter(venue=venue)
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if status:
        qs = qs.filter(status=status)
    if agency:
        qs = qs.filter(agency__code=agency)
    return qs.order_by("ref")


def plan_items(plan: Plan, viewer=None) -> list[PlanItem]:
    """A plan's items in date order; a viewer who is not center staff sees only their agency's (`viewer=None`:
    every item, for internal callers)."""
    qs = plan.items.select_related("proposal", "proposal__agency", "space").order_by("start", "proposal__ref")
    if viewer is not None:
        qs = qs.filter(proposal__in=Proposal.objects.visible_to(viewer))
    return list(qs)


def plan_list(*, fiscal_year: int | None = None, venue=None, viewer=None) -> QuerySet[Plan]:
    """Plan versions, newest first (`viewer`: only if they may browse the plan)."""
    qs = (Plan.objects.visible_to(viewer) if viewer is not None else Plan.objects.all()).select_related("venue")
    if fiscal_year:
        qs = qs.filter(fiscal_year=fiscal_year)
    if venue is not None:
        qs = qs.filter(venue=venue)
    return qs.order_by("-created_at", "-pk")


def plan_compare(a: Plan, b: Plan, viewer=None) -> dict[str, Any]:
    """Side by side: what moved, what was added or dropped between two versions, and each objective."""
    before = {i.proposal.ref: i for i in plan_items(a, viewer)}
    after = {i.proposal.ref: i for i in plan_items(b, viewer)}
    rows = []
    for ref in sorted(set(before) | set(after)):
        x, y = before.get(ref), after.get(ref)
        xs = (x.space.code, x.start) if x and x.scheduled else None
        ys = (y.space.code, y.start) if y and y.scheduled else None
        if xs == ys:
            change = "same" if xs else "unscheduled"
        elif xs is None:
            change = "added"
        elif ys is None:
            change = "dropped"
        else:
            change = "moved"
        title = (y or x).proposal.title
        rows.append({"ref": ref, "title": title, "change": change,
                     "a": {"space": xs[0], "start": xs[1].isoformat()} if xs else None,
                     "b": {"space": ys[0], "start": ys[1].isoformat()} if ys else None})
    counts = {k: sum(1 for r in rows if r["change"] == k) for k in ("moved", "added", "dropped", "same", "unscheduled")}
    return {"a": {"id": a.pk, "version": a.version, "objective": a.objective, "bound": a.bound, "gap": a.gap},
            "b": {"id": b.pk, "version": b.version, "objective": b.objective, "bound": b.bound, "gap": b.gap},
            "counts": counts, "rows": rows}


def thai_holidays(first: date, last: date, lang: str = "th") -> dict[date, str]:
    """Thai public holidays between two dates, named in Thai (or English)."""
    years = range(first.year, last.year + 1)
    found = holidays.country_holidays("TH", years=years, language="th" if lang.startswith("th") else "en_US")
    return {d: name for d, name in sorted(found.items()) if first <= d <= last}
