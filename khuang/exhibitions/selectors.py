"""Reads of exhibitions: booth states, fees, the public exhibitor list, sales. Plain query functions."""

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from khuang.core.errors import NotFoundError
from khuang.core.i18n import pick

from .models import (
    ApplicationStatus,
    BoothClaim,
    BoothPrice,
    BoothState,
    ClaimStatus,
    Exhibition,
    ExhibitorApplication,
    ExhibitorCategory,
    FloorPlan,
    ProductCategory,
)

STATE_OF = {ClaimStatus.HOLD: BoothState.HELD, ClaimStatus.RESERVED: BoothState.RESERVED,
            ClaimStatus.SOLD: BoothState.SOLD, ClaimStatus.BLOCKED: BoothState.BLOCKED}
CENT = Decimal("0.01")


def floorplan_list(viewer) -> QuerySet[FloorPlan]:
    """Floor plans the person may see, with their space."""
    return FloorPlan.objects.visible_to(viewer).select_related("space")


def floorplan_get(viewer, plan_id: int) -> FloorPlan:
    """One visible floor plan, or 404."""
    plan = floorplan_list(viewer).filter(pk=plan_id).first()
    if plan is None:
        raise NotFoundError(_("No floor plan %(id)s.") % {"id": plan_id})
    return plan


def exhibition_list(viewer) -> QuerySet[Exhibition]:
    """Exhibitions the person may see, soonest first."""
    return Exhibition.objects.visible_to(viewer).select_related("booking__space", "booking__agency", "floor_plan")


def exhibition_get(viewer, exhibition_id: int) -> Exhibition:
    """One visible exhibition, or 404 (never a hint that it exists)."""
    exhibition = exhibition_list(viewer).filter(pk=exhibition_id).first()
    if exhibition is None:
        raise NotFoundError(_("No exhibition %(id)s.") % {"id": exhibition_id})
    return exhibition


def public_exhibition(booking_id: int) -> Exhibition:
    """The exhibition of a public event (404 when the event is not public or has none)."""
    exhibition = (Exhibition.objects.select_related("booking__space__venue", "floor_plan")
                  .filter(booking_id=booking_id, booking__is_public=True)
                  .exclude(booking__status="inquiry").first())
    if exhibition is None:
        raise NotFoundError(_("This event has no exhibitor list."))
    return exhibition


def application_by_token(token: str) -> ExhibitorApplication:
    """The application a private link opens, or 404."""
    app = (ExhibitorApplication.objects.select_related("exhibition__booking__space", "exhibition__floor_plan")
           .filter(token=token).first()) if token and len(token) <= 64 else None
    if app is None:
        raise NotFoundError(_("No such exhibitor page."))
    return app


def booth_states(exhibition: Exhibition) -> dict[str, dict[str, Any]]:
    """Every booth of the plan: its state, the owning claim and application, and how many holds queue behind."""
    claims = BoothClaim.objects.filter(exhibition=exhibition).exclude(status=ClaimStatus.RELEASED).select_related(
        "booth", "application")
    out = {b.code: {"booth": b, "state": BoothState.AVAILABLE, "claim": None, "application": None, "queued": 0}
           for b in exhibition.floor_plan.booths.all()}
    for c in claims:
        row = out.get(c.booth.code)
        if row is None:
            continue
        if c.active:
            row.update(state=STATE_OF[c.status], claim=c, application=c.application)
        else:
            row["queued"] += 1
    return out


def state_counts(states: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """How many booths are in each state, in the order the legend shows them."""
    counts = Counter(r["state"] for r in states.values())
    return [{"state": s.value, "label": str(s.label), "count": counts.get(s.value, 0)} for s in BoothState]


def price_table(exhibition: Exhibition) -> dict[str, Any]:
    """Prices as rows per price class (every class the plan uses) × columns per exhibitor category."""
    classes = sorted(set(exhibition.floor_plan.booths.values_list("price_class", flat=True))
                     | set(exhibition.prices.values_list("price_class", flat=True)))
    prices = {(p.price_class, p.category): p.price_thb for p in BoothPrice.objects.filter(exhibition=exhibition)}
    booths = Counter(exhibition.floor_plan.booths.values_list("price_class", flat=True))
    return {"categories": [{"value": c.value, "label": str(c.label)} for c in ExhibitorCategory],
            "rows": [{"price_class": cls, "booths": booths.get(cls, 0),
                      "prices": [{"category": c.value, "label": str(c.label), "price": prices.get((cls, c.value))}
                                 for c in ExhibitorCategory]} for cls in classes],
            "missing": [(cls, str(c.label)) for cls in classes if booths.get(cls) for c in ExhibitorCategory
                        if (cls, c.value) not in prices]}


def application_booths(app: ExhibitorApplication) -> list[BoothClaim]:
    """The booths an exhibitor owns now (first-option holds, reservations, purchases), by code."""
    return list(app.claims.filter(active=True).select_related("booth").order_by("booth__code"))


def exhibitor_fees(app: ExhibitorApplication) -> dict[str, Any]:
    """What the exhibitor owes for its reserved and bought booths: one line per booth at the price frozen when it
    was reserved or sold, the total, the deposit (the exhibition's percentage, due N days after the first
    reservation) and the balance (due N days before move-in). This is what the money chain invoices."""
    ex = app.exhibition
    claims = [c for c in application_booths(app) if c.status in (ClaimStatus.RESERVED, ClaimStatus.SOLD)]
    lines = [{"booth": c.booth.code, "price_class": c.booth.price_class, "status": c.status,
              "size": f"{metres(c.booth.width)} × {metres(c.booth.depth)} m", "amount_thb": c.price_thb or Decimal("0"),
              "claim_id": c.pk} for c in claims]
    total = sum((line["amount_thb"] for line in lines), Decimal("0"))
    deposit = (total * ex.deposit_pct / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    first = min((c.created_at for c in claims), default=None)
    move_in = timezone.localtime(ex.booking.occupied_start).date()
    return {
        "lines": lines, "total_thb": total, "deposit_pct": ex.deposit_pct, "deposit_thb": deposit,
        "balance_thb": total - deposit,
        "deposit_due": (timezone.localtime(first).date() + timedelta(days=ex.deposit_due_days)) if first else None,
        "balance_due": move_in - timedelta(days=ex.balance_due_days),
        "category": app.category, "category_label": str(ExhibitorCategory(app.category).label),
    }


def application_list(exhibition: Exhibition, *, status: str | None = None, category: str | None = None,
                     q: str | None = None) -> QuerySet[ExhibitorApplication]:
    """An exhibition's applications, filtered; callers check the viewer may see the exhibition."""
    qs = exhibition.applications.all().prefetch_related("avoid", "documents")
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(Q(company_name__icontains=q) | Q(company_name_en__icontains=q) | Q(products__icontains=q))
    return qs.order_by("status", "-priority_points", "created_at", "id")


def application_counts(exhibition: Exhibition) -> dict[str, int]:
    counts = Counter(exhibition.applications.values_list("status", flat=True))
    return {s.value: counts.get(s.value, 0) for s in ApplicationStatus}


def public_exhibitors(exhibition: Exhibition, *, product_category: str | None = None, q: str | None = None
                      ) -> list[dict[str, Any]]:
    """Exhibitors who agreed to be listed, with their booths (reserved or bought), by booth code; filtered by
    product category and a name or product search."""
    if not exhibition.public_map:
        return []
    apps = exhibition.applications.listed()
    if product_category:
        apps = apps.filter(product_category=product_category)
    if q:
        apps = apps.filter(Q(company_name__icontains=q) | Q(company_name_en__icontains=q)
                           | Q(products__icontains=q))
    booths: dict[int, list[str]] = defaultdict(list)
    for app_id, code in BoothClaim.objects.filter(
            exhibition=exhibition, active=True, status__in=(ClaimStatus.RESERVED, ClaimStatus.SOLD),
            application__in=apps).values_list("application_id", "booth__code").order_by("booth__code"):
        booths[app_id].append(code)
    out = []
    for app in apps:
        if app.pk not in booths:
            continue
        out.append({"id": app.pk, "name": app.name, "product_category": app.product_category,
                    "product_label": str(ProductCategory(app.product_category).label), "products": app.products,
                    "province": app.province_name, "community": app.is_community, "otop_stars": app.otop_stars,
                    "booths": booths[app.pk]})
    out.sort(key=lambda r: r["booths"][0])
    return out


def sales_summary(exhibition: Exhibition) -> dict[str, Any]:
    """Community and OTOP exhibitors' recorded sales at one fair: total, by province, and who has not recorded."""
    community = exhibition.applications.filter(status=ApplicationStatus.ACCEPTED,
                                               category=ExhibitorCategory.COMMUNITY)
    by_province = (community.filter(sales_thb__isnull=False).values("province").annotate(total=Sum("sales_thb"))
                   .order_by("-total"))
    from .provinces import province_name

    return {
        "total_thb": community.aggregate(t=Sum("sales_thb"))["t"] or Decimal("0"),
        "recorded": community.filter(sales_thb__isnull=False).count(),
        "exhibitors": community.count(),
        "by_province": [{"province": province_name(r["province"]), "total_thb": r["total"]} for r in by_province],
    }


def community_income(venue_id: int, first: date, last: date) -> dict[str, Any]:
    """Community and OTOP sales recorded at the venue's fairs starting between `first` and `last` (inclusive):
    total, by fair and by province (the reports read this for the supplementary-income project)."""
    from .provinces import province_name

    apps = ExhibitorApplication.objects.filter(
        status=ApplicationStatus.ACCEPTED, category=ExhibitorCategory.COMMUNITY, sales_thb__isnull=False,
        exhibition__booking__space__venue_id=venue_id, exhibition__booking__start__date__gte=first,
        exhibition__booking__start__date__lte=last)
    by_fair = (apps.values("exhibition_id", "exhibition__booking__title", "exhibition__booking__title_en",
                           "exhibition__booking__start")
               .annotate(total=Sum("sales_thb")).order_by("exhibition__booking__start"))
    by_province = apps.values("province").annotate(total=Sum("sales_thb")).order_by("-total", "province")
    return {
        "total_thb": apps.aggregate(t=Sum("sales_thb"))["t"] or Decimal("0"),
        "exhibitors": apps.count(),
        "by_fair": [{"exhibition": r["exhibition_id"],
                     "title": pick(r["exhibition__booking__title"], r["exhibition__booking__title_en"]),
                     "start": timezone.localtime(r["exhibition__booking__start"]).date(), "total_thb": r["total"]}
                    for r in by_fair],
        "by_province": [{"province": province_name(r["province"]), "total_thb": r["total"]} for r in by_province],
    }


def booth_revenue(venue_id: int, first: date, last: date) -> dict[str, Any]:
    """Booths and booth fees of the venue's fairs starting in [first, last], by fair: booths sold and reserved,
    fees quoted (accepted booth-fee quotations), invoiced (issued invoices less credit notes) and received
    (payments), all before VAT; and the totals. The reports read this for booth revenue."""
    from khuang.finance.models import Invoice, InvoiceKind, InvoiceStatus, Payment, QuotationStatus

    exhibitions = list(Exhibition.objects.filter(
        booking__space__venue_id=venue_id, booking__start__date__gte=first, booking__start__date__lte=last)
        .select_related("booking").order_by("booking__start"))
    rows = []
    zero = Decimal("0")
    for ex in exhibitions:
        claims = BoothClaim.objects.filter(exhibition=ex, active=True)
        quotations = [a.quotation for a in ex.applications.filter(quotation__status=QuotationStatus.ACCEPTED)
                      .select_related("quotation")]
        q_ids = [q.pk for q in quotations]
        issued = Invoice.objects.filter(quotation_id__in=q_ids, status=InvoiceStatus.ISSUED)
        invoiced = (issued.filter(kind=InvoiceKind.INVOICE).aggregate(t=Sum("subtotal"))["t"] or zero)
        credited = (Invoice.objects.filter(credits__quotation_id__in=q_ids, kind=InvoiceKind.CREDIT_NOTE,
                                           status=InvoiceStatus.ISSUED).aggregate(t=Sum("subtotal"))["t"] or zero)
        received = zero
        for amount, subtotal, total in Payment.objects.filter(invoice__quotation_id__in=q_ids).values_list(
                "amount", "invoice__subtotal", "invoice__total"):
            received += amount * subtotal / total if total else zero
        rows.append({
            "exhibition": ex.pk, "title": pick(ex.booking.title, ex.booking.title_en),
            "start": timezone.localtime(ex.booking.start).date(), "booths": ex.floor_plan.booths.count(),
            "sold": claims.filter(status=ClaimStatus.SOLD).count(),
            "reserved": claims.filter(status=ClaimStatus.RESERVED).count(),
            "quoted_thb": sum((q.net for q in quotations), zero), "invoiced_thb": invoiced - credited,
            "received_thb": received.quantize(CENT),
        })
    keys = ("booths", "sold", "reserved", "quoted_thb", "invoiced_thb", "received_thb")
    return {"fairs": rows, **{k: sum((r[k] for r in rows), zero if k.endswith("_thb") else 0) for k in keys}}


def metres(value: Decimal) -> str:
    """3.00 → "3", 2.50 → "2.5"."""
    return f"{value.normalize():f}"
