"""Writes of exhibitions. Each state change checks state and permission, then one transaction mutates, writes
the audit entry, and enqueues notifications after commit.

No booth is sold twice: a booth's owning claim (first-option hold, reservation, sale, block) is `active`, and a
partial unique index allows one active claim per booth and exhibition. On PostgreSQL a second writer fails on
that index (a unique violation, answered 409); on SQLite the IMMEDIATE transaction serialises the check and the
insert, and the index stays the last word.
"""

import json
import mimetypes
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuang.bookings.models import Booking, BookingStatus
from khuang.core.errors import ConflictError, NotFoundError, PermissionDeniedError
from khuang.core.errors import ValidationFailed as Invalid
from khuang.core.i18n import current_lang
from khuang.core.models import log_action
from khuang.venues.models import Space

from . import errors, layout
from .models import (
    ApplicationDocument,
    ApplicationStatus,
    AssignmentRun,
    Booth,
    BoothClaim,
    BoothPrice,
    BoothType,
    ClaimStatus,
    Exhibition,
    ExhibitorApplication,
    ExhibitorCategory,
    FloorPlan,
    PlanFeature,
    ProductCategory,
    RunStatus,
)
from .provinces import THAI as PROVINCES

MAX_DOCUMENTS = 5
MAX_DOCUMENT_MB = 5
DOCUMENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}
PHONE_DIGITS = (9, 15)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _require_plan_editor(plan: FloorPlan | None, actor) -> None:
    allowed = FloorPlan.may_create(actor) if plan is None else plan.can_edit(actor)
    if not allowed:
        raise PermissionDeniedError(str(errors.ONLY_STAFF_PLANS))


def _require_manager(exhibition: Exhibition, actor) -> None:
    if not exhibition.can_manage(actor):
        raise PermissionDeniedError(str(errors.NOT_MANAGER))


def _is_unique_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(exc) \
        or "booth_one_active_claim" in str(exc)


# ---------------------------------------------------------------- floor plans

def atomic_part_codes(space: Space) -> list[str]:
    """Codes of the atomic spaces a combined space is made of (empty for an atomic space)."""
    if not space.parts.exists():
        return []
    return sorted(p.code for p in space.atomic_parts())


def _default_parts(space: Space, width: Decimal, depth: Decimal) -> list[dict[str, Any]]:
    """Parts side by side across the plan, each as wide as its share of the floor area."""
    codes = atomic_part_codes(space)
    if not codes:
        return []
    parts = {s.code: s for s in space.atomic_parts()}
    areas = [float(parts[c].area_sqm or 1) for c in codes]
    total = sum(areas)
    out, x = [], 0.0
    for code, area in zip(codes, areas, strict=True):
        w = round(float(width) * area / total, 2)
        out.append({"space": code, "x": round(x, 2), "y": 0.0, "width": w, "depth": float(depth)})
        x += w
    out[-1]["width"] = round(float(width) - out[-1]["x"], 2)
    return out


def floorplan_create(*, space: Space, name_th: str, name_en: str = "", width_m: Any, depth_m: Any,
                     grid_m: Any = 1, actor) -> FloorPlan:
    """A new, empty floor plan of a space (center staff); a combined space's parts are laid side by side."""
    _require_plan_editor(None, actor)
    name_th = " ".join((name_th or "").split())
    if not name_th:
        raise Invalid(str(errors.REQUIRED), field="name_th")
    width = layout._dec(width_m, "width_m", None, positive=True)
    depth = layout._dec(depth_m, "depth_m", None, positive=True)
    grid = layout._dec(grid_m, "grid_m", None, positive=True)
    with transaction.atomic():
        plan = FloorPlan.objects.create(space=space, name_th=name_th[:200], name_en=(name_en or "")[:200],
                                        width_m=width, depth_m=depth, grid_m=grid,
                                        parts_layout=_default_parts(space, width, depth), created_by=_user(actor))
        log_action(plan, "create", actor=actor)
    return plan


def floorplan_save_layout(plan: FloorPlan, data: layout.Layout, *, actor) -> FloorPlan:
    """Replace a plan's booths, aisles, obstacles and parts with `data` (all or nothing).

    Booths keep their identity by code, so exhibitions using the plan keep their claims; a booth that has been
    held or sold anywhere cannot be removed (copy the plan instead).
    """
    _require_plan_editor(plan, actor)
    layout.validate(data, atomic_part_codes(plan.space))
    with transaction.atomic():
        plan = FloorPlan.objects.select_for_update().get(pk=plan.pk)
        existing = {b.code: b for b in plan.booths.all()}
        wanted = {b.code for b in data.booths}
        gone = [b for code, b in existing.items() if code not in wanted]
        claimed = BoothClaim.objects.filter(booth__in=gone).select_related("booth").first()
        if claimed is not None:
            raise ConflictError(str(errors.BOOTH_DELETE_CLAIMED) % {"code": claimed.booth.code}, field="booths")
        Booth.objects.filter(pk__in=[b.pk for b in gone]).delete()
        for row in data.booths:
            booth = existing.get(row.code) or Booth(plan=plan, code=row.code)
            booth.x, booth.y, booth.width, booth.depth = row.x, row.y, row.width, row.depth
            booth.kind, booth.power, booth.water, booth.zone = row.kind, row.power, row.water, row.zone
            booth.price_class, booth.prime = row.price_class, row.prime
            booth.save()
        plan.features.all().delete()
        PlanFeature.objects.bulk_create(PlanFeature(plan=plan, kind=f.kind, x=f.x, y=f.y, width=f.width,
                                                    depth=f.depth, label=f.label) for f in data.features)
        plan.width_m, plan.depth_m, plan.grid_m = data.width, data.depth, data.grid
        plan.parts_layout = [{"space": p.space, "x": float(p.x), "y": float(p.y), "width": float(p.width),
                              "depth": float(p.depth)} for p in data.parts]
        plan.save()
        log_action(plan, "layout", actor=actor, data={"booths": len(data.booths), "features": len(data.features),
                                                      "removed": [b.code for b in gone]})
    return plan


def floorplan_import(plan: FloorPlan, text: str, fmt: str, *, actor) -> FloorPlan:
    """Import a layout file (JSON or CSV, docs/FLOORPLANS.md) into a plan: one bad row and nothing changes."""
    _require_plan_editor(plan, actor)
    data = layout.parse_text(text, fmt, width=plan.width_m, depth=plan.depth_m, grid=plan.grid_m)
    return floorplan_save_layout(plan, data, actor=actor)


def floorplan_copy(plan: FloorPlan, *, actor, name_th: str = "") -> FloorPlan:
    """A new plan with the same layout (to change a plan that past exhibitions still refer to)."""
    _require_plan_editor(plan, actor)
    with transaction.atomic():
        copy = FloorPlan.objects.create(
            space=plan.space, name_th=name_th or _("%(name)s (copy)") % {"name": plan.name_th},
            name_en=f"{plan.name_en} (copy)" if plan.name_en else "", width_m=plan.width_m, depth_m=plan.depth_m,
            grid_m=plan.grid_m, parts_layout=plan.parts_layout, notes=plan.notes, created_by=_user(actor))
        Booth.objects.bulk_create(Booth(plan=copy, code=b.code, x=b.x, y=b.y, width=b.width, depth=b.depth,
                                        kind=b.kind, power=b.power, water=b.water, zone=b.zone,
                                        price_class=b.price_class, prime=b.prime) for b in plan.booths.all())
        PlanFeature.objects.bulk_create(PlanFeature(plan=copy, kind=f.kind, x=f.x, y=f.y, width=f.width,
                                                    depth=f.depth, label=f.label) for f in plan.features.all())
        log_action(copy, "copy", actor=actor, data={"from": plan.pk})
    return copy


# ---------------------------------------------------------------- exhibitions

EXHIBITION_FIELDS = {"applications_open", "application_deadline", "public_map", "hold_days", "deposit_pct",
                     "deposit_due_days", "balance_due_days", "competitor_distance_m", "community_prime_quota",
                     "zone_weight", "type_weight", "manual_th", "manual_en", "floor_plan"}


def exhibition_create(booking: Booking, floor_plan: FloorPlan, *, actor, **settings) -> Exhibition:
    """Turn a booking into an exhibition on a floor plan of its space (staff, or a planner of its agency)."""
    if not Exhibition.may_create(actor, booking):
        raise PermissionDeniedError(str(errors.BOOKING_NOT_YOURS), field="booking")
    if booking.status == BookingStatus.CANCELLED:
        raise Invalid(str(errors.BOOKING_CANCELLED), field="booking")
    _check_plan_space(floor_plan, booking)
    if Exhibition.objects.filter(booking=booking).exists():
        raise ConflictError(str(errors.ALREADY_EXHIBITION), field="booking")
    unknown = set(settings) - EXHIBITION_FIELDS
    if unknown:
        raise Invalid(_("Unknown settings: %(f)s") % {"f": ", ".join(sorted(unknown))}, field=sorted(unknown)[0])
    try:
        with transaction.atomic():
            exhibition = Exhibition(booking=booking, floor_plan=floor_plan, created_by=_user(actor), **settings)
            _full_clean(exhibition)
            exhibition.save()
            log_action(exhibition, "create", actor=actor, data={"booking": booking.pk, "plan": floor_plan.pk})
    except IntegrityError:
        raise ConflictError(str(errors.ALREADY_EXHIBITION), field="booking") from None
    return exhibition


def _check_plan_space(plan: FloorPlan, booking: Booking) -> None:
    if plan.space_id != booking.space_id:
        raise Invalid(str(errors.PLAN_OTHER_SPACE) % {"plan": plan.name, "plan_space": plan.space.code,
                                                      "space": booking.space.code}, field="floor_plan")


def _full_clean(obj) -> None:
    try:
        obj.full_clean(exclude=["booking", "floor_plan", "created_by", "exhibition", "application", "booth"])
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        raise Invalid(f"{field_name}: {' '.join(messages)}", field=field_name) from None


def exhibition_update(exhibition: Exhibition, changes: dict[str, Any], *, actor) -> Exhibition:
    """Change an exhibition's settings (its managers); a new floor plan must be of the booked space and is only
    possible while no booth is claimed."""
    _require_manager(exhibition, actor)
    unknown = set(changes) - EXHIBITION_FIELDS
    if unknown:
        raise Invalid(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))},
                      field=sorted(unknown)[0])
    with transaction.atomic():
        locked = Exhibition.objects.select_for_update().select_related("booking__space").get(pk=exhibition.pk)
        if "floor_plan" in changes and changes["floor_plan"].pk != locked.floor_plan_id:
            _check_plan_space(changes["floor_plan"], locked.booking)
            if locked.claims.filter(active=True).exists():
                raise ConflictError(_("Booths are already claimed on the current plan."), field="floor_plan")
        for key, value in changes.items():
            setattr(locked, key, value)
        _full_clean(locked)
        locked.save()
        log_action(locked, "update", actor=actor, data={k: str(v) for k, v in changes.items()})
    return locked


def prices_set(exhibition: Exhibition, rows: list[dict[str, Any]], *, actor) -> list[BoothPrice]:
    """Replace the price table: one price per (price class, exhibitor category), THB for the whole fair."""
    _require_manager(exhibition, actor)
    clean: dict[tuple[str, str], Decimal] = {}
    for i, row in enumerate(rows):
        cls = str(row.get("price_class") or "").strip()
        if not layout.CLASS_RE.match(cls):
            raise Invalid(_("a price class is lower-case letters, digits, _ or -"), field=f"prices[{i}].price_class")
        category = row.get("category")
        if category not in ExhibitorCategory.values:
            raise Invalid(str(errors.BAD_CHOICE) % {"choices": ", ".join(ExhibitorCategory.values)},
                          field=f"prices[{i}].category")
        try:
            price = Decimal(str(row.get("price_thb")))
        except (InvalidOperation, ValueError):
            price = Decimal("-1")
        if not price.is_finite() or price < 0 or price > Decimal("9999999999"):
            raise Invalid(_("A price is a number of baht, zero or more."), field=f"prices[{i}].price_thb")
        clean[(cls, category)] = price.quantize(Decimal("0.01"))
    with transaction.atomic():
        exhibition.prices.all().delete()
        out = BoothPrice.objects.bulk_create(
            BoothPrice(exhibition=exhibition, price_class=c, category=k, price_thb=p) for (c, k), p in clean.items())
        log_action(exhibition, "prices", actor=actor, data={f"{c}/{k}": str(p) for (c, k), p in clean.items()})
    return out


def booth_price(exhibition: Exhibition, booth: Booth, category: str) -> Decimal:
    """The price of a booth for an exhibitor category; no price set → 422 naming the class and category."""
    row = BoothPrice.objects.filter(exhibition=exhibition, price_class=booth.price_class, category=category).first()
    if row is None:
        raise Invalid(str(errors.NO_PRICE) % {"cls": booth.price_class,
                                               "category": ExhibitorCategory(category).label}, field="price")
    return row.price_thb


# ---------------------------------------------------------------- booth claims

def _booth(exhibition: Exhibition, code: str) -> Booth:
    booth = Booth.objects.filter(plan_id=exhibition.floor_plan_id, code=code).first()
    if booth is None:
        raise NotFoundError(str(errors.BOOTH_UNKNOWN) % {"code": code}, field="booth")
    return booth


def _accepted(exhibition: Exhibition, application: ExhibitorApplication) -> None:
    if application.exhibition_id != exhibition.pk:
        raise Invalid(str(errors.OTHER_EXHIBITION), field="application")
    if application.status != ApplicationStatus.ACCEPTED:
        raise ConflictError(str(errors.NOT_ACCEPTED) % {"name": application.company_name}, field="application")


def _owner(exhibition: Exhibition, booth: Booth) -> BoothClaim | None:
    return BoothClaim.objects.filter(exhibition=exhibition, booth=booth, active=True).first()


def _refuse_taken(claim: BoothClaim) -> None:
    state = {ClaimStatus.HOLD: _("held"), ClaimStatus.RESERVED: _("reserved"), ClaimStatus.SOLD: _("sold"),
             ClaimStatus.BLOCKED: _("blocked")}[claim.status]
    raise ConflictError(str(errors.BOOTH_TAKEN) % {"code": claim.booth.code, "state": state}, field="booth",
                        extra={"state": claim.status})


def _write(fn):
    """Run a claim write; a rival that committed first (the unique index) becomes a clean 409."""
    try:
        return fn()
    except IntegrityError as exc:
        if not _is_unique_violation(exc):
            raise
        raise ConflictError(_("The booth was taken a moment ago by another request."), field="booth") from None


def claim_hold(exhibition: Exhibition, booth_code: str, application: ExhibitorApplication, *, actor,
               expires_at: datetime | None = None) -> BoothClaim:
    """Hold a booth for an accepted exhibitor: first option when free, else queued behind the holds already
    there (a reserved, sold or blocked booth refuses); the hold lapses at its expiry, as in the diary."""
    _require_manager(exhibition, actor)
    _accepted(exhibition, application)
    booth = _booth(exhibition, booth_code)
    expires_at = expires_at or timezone.now() + timedelta(days=exhibition.hold_days)
    if expires_at <= timezone.now():
        raise Invalid(_("A hold must expire in the future."), field="expires_at")

    def write() -> BoothClaim:
        with transaction.atomic():
            owner = _owner(exhibition, booth)
            if owner is not None and owner.status != ClaimStatus.HOLD:
                _refuse_taken(owner)
            if BoothClaim.objects.filter(exhibition=exhibition, booth=booth, application=application,
                                         status=ClaimStatus.HOLD).exists():
                raise ConflictError(_("%(name)s already holds booth %(code)s.") % {
                    "name": application.company_name, "code": booth.code}, field="booth")
            rank = 1
            if owner is not None:
                ranks = BoothClaim.objects.filter(exhibition=exhibition, booth=booth, status=ClaimStatus.HOLD
                                                  ).values_list("option_rank", flat=True)
                rank = max([r or 1 for r in ranks] + [1]) + 1
            claim = BoothClaim.objects.create(exhibition=exhibition, booth=booth, application=application,
                                              status=ClaimStatus.HOLD, active=rank == 1, option_rank=rank,
                                              hold_expires_at=expires_at, created_by=_user(actor))
            log_action(claim, "hold", actor=actor, to_state="hold", data={"option_rank": rank})
            _schedule_expiry(claim)
            return claim

    try:
        return _write(write)
    except ConflictError as exc:
        if exc.extra.get("state"):  # reserved, sold or blocked: a real refusal
            raise
        # A rival's first option committed between our check and our insert: queue behind it, as the diary does.
        return _write(write)


def _take(exhibition: Exhibition, booth_code: str, application: ExhibitorApplication, status: str, *, actor,
          reason: str = "") -> BoothClaim:
    """Reserve or sell: the booth must be free or already the exhibitor's own (hold or reservation)."""
    _require_manager(exhibition, actor)
    _accepted(exhibition, application)
    booth = _booth(exhibition, booth_code)
    price = booth_price(exhibition, booth, application.category)

    def write() -> BoothClaim:
        with transaction.atomic():
            owner = _owner(exhibition, booth)
            if owner is not None and (owner.application_id != application.pk or owner.status == ClaimStatus.SOLD
                                      or owner.status == ClaimStatus.BLOCKED):
                if owner.application_id == application.pk and owner.status == status:
                    return owner
                _refuse_taken(owner)
            if owner is not None:
                was = owner.status
                owner.status, owner.option_rank, owner.hold_expires_at = status, None, None
                owner.price_thb = price
                owner.reason = reason
                owner.save()
                log_action(owner, status, actor=actor, from_state=was, to_state=status, reason=reason,
                           data={"price_thb": str(price)})
                if was == ClaimStatus.HOLD:
                    _drop_queued_holds(exhibition, booth, actor)
                return owner
            claim = BoothClaim.objects.create(exhibition=exhibition, booth=booth, application=application,
                                              status=status, active=True, price_thb=price, reason=reason,
                                              created_by=_user(actor))
            log_action(claim, status, actor=actor, to_state=status, reason=reason, data={"price_thb": str(price)})
            return claim

    return _write(write)


def claim_reserve(exhibition: Exhibition, booth_code: str, application: ExhibitorApplication, *, actor,
                  reason: str = "") -> BoothClaim:
    """Reserve a booth for an accepted exhibitor (it owns the booth until sold or released)."""
    return _take(exhibition, booth_code, application, ClaimStatus.RESERVED, actor=actor, reason=reason)


def claim_sell(exhibition: Exhibition, booth_code: str, application: ExhibitorApplication, *, actor,
               reason: str = "") -> BoothClaim:
    """Sell a booth to an accepted exhibitor at the price of its class for the exhibitor's category. A booth
    already sold, reserved, held or blocked for someone else is refused (409) — and the database refuses a second
    sale even when two requests race."""
    return _take(exhibition, booth_code, application, ClaimStatus.SOLD, actor=actor, reason=reason)


def _drop_queued_holds(exhibition: Exhibition, booth: Booth, actor) -> None:
    """Once a booth is reserved or sold, the holds queued behind it end (as declined rival holds do)."""
    for claim in BoothClaim.objects.filter(exhibition=exhibition, booth=booth, status=ClaimStatus.HOLD,
                                           active=False):
        claim.status, claim.option_rank = ClaimStatus.RELEASED, None
        claim.reason = _("The booth went to another exhibitor.")
        claim.save()
        log_action(claim, "decline", actor=actor, from_state="hold", to_state="released", reason=claim.reason)


def claim_release(claim: BoothClaim, *, actor, reason: str = "") -> BoothClaim:
    """End a hold, reservation, sale or block (its managers); the next queued hold becomes first option."""
    _require_manager(claim.exhibition, actor)
    if claim.status in (ClaimStatus.SOLD,) and not reason.strip():
        raise Invalid(str(errors.REASON_REQUIRED), field="reason")
    return _end_claim(claim, actor=actor, reason=reason, action="release")


def _end_claim(claim: BoothClaim, *, actor, reason: str, action: str) -> BoothClaim:
    with transaction.atomic():
        locked = BoothClaim.objects.select_for_update().select_related("booth", "exhibition").get(pk=claim.pk)
        if locked.status == ClaimStatus.RELEASED:
            raise ConflictError(str(errors.CLAIM_ENDED), field="status")
        if action == "expire" and not locked.is_expired_hold:
            return locked
        was, owned = locked.status, locked.active
        locked.status, locked.active, locked.option_rank = ClaimStatus.RELEASED, False, None
        locked.reason = reason
        locked.save()
        log_action(locked, action, actor=actor, from_state=was, to_state=locked.status, reason=reason)
        if owned:
            promote_next_hold(locked.exhibition, locked.booth)
    return locked


def promote_next_hold(exhibition: Exhibition, booth: Booth) -> BoothClaim | None:
    """Offer a freed booth to the first queued hold that has not lapsed (call inside the freeing transaction)."""
    waiting = BoothClaim.objects.select_for_update().filter(
        exhibition=exhibition, booth=booth, status=ClaimStatus.HOLD, active=False).order_by("option_rank", "id")
    for hold in waiting:
        if hold.is_expired_hold:
            continue
        hold.active, hold.option_rank = True, 1
        hold.save(update_fields=["active", "option_rank", "updated_at"])
        log_action(hold, "promote", from_state="hold", to_state="hold", data={"option_rank": 1},
                   reason=_("The earlier option was released."))
        rest = BoothClaim.objects.filter(exhibition=exhibition, booth=booth, status=ClaimStatus.HOLD, active=False)
        for k, other in enumerate(rest.order_by("option_rank", "id"), start=2):
            if other.option_rank != k:
                other.option_rank = k
                other.save(update_fields=["option_rank", "updated_at"])
        return hold
    return None


def hold_expire(claim_id: int) -> BoothClaim | None:
    """Lapse a booth hold whose expiry has passed (run by the worker); anything else is left alone."""
    claim = BoothClaim.objects.filter(pk=claim_id).first()
    if claim is None or not claim.is_expired_hold:
        return None
    return _end_claim(claim, actor=None, reason=_("The hold expired."), action="expire")


def _schedule_expiry(claim: BoothClaim) -> None:
    from .tasks import expire_booth_hold

    transaction.on_commit(partial(expire_booth_hold.using(run_after=claim.hold_expires_at).enqueue, claim.pk))


def booth_block(exhibition: Exhibition, booth_code: str, *, actor, reason: str = "") -> BoothClaim:
    """Keep a booth off sale (organiser's use, a blocked view); only a free booth can be blocked."""
    _require_manager(exhibition, actor)
    booth = _booth(exhibition, booth_code)

    def write() -> BoothClaim:
        with transaction.atomic():
            owner = _owner(exhibition, booth)
            if owner is not None:
                _refuse_taken(owner)
            claim = BoothClaim.objects.create(exhibition=exhibition, booth=booth, status=ClaimStatus.BLOCKED,
                                              active=True, reason=reason, created_by=_user(actor))
            log_action(claim, "block", actor=actor, to_state="blocked", reason=reason)
            return claim

    return _write(write)


def booth_unblock(exhibition: Exhibition, booth_code: str, *, actor) -> BoothClaim:
    """Put a blocked booth back on sale."""
    _require_manager(exhibition, actor)
    booth = _booth(exhibition, booth_code)
    claim = BoothClaim.objects.filter(exhibition=exhibition, booth=booth, status=ClaimStatus.BLOCKED).first()
    if claim is None:
        raise ConflictError(_("Booth %(code)s is not blocked.") % {"code": booth.code}, field="booth")
    return _end_claim(claim, actor=actor, reason="", action="unblock")


# ---------------------------------------------------------------- applications

@dataclass
class ApplicationDraft:
    """What an exhibitor types into the application form."""

    company_name: str
    contact_name: str
    email: str
    phone: str
    province: str
    category: str
    product_category: str
    company_name_en: str = ""
    community_reg_no: str = ""
    otop_stars: int | None = None
    products: str = ""
    booths_wanted: int = 1
    booth_type: str = ""
    needs_power: bool = False
    needs_water: bool = False
    preferred_zone: str = ""
    competitors_text: str = ""
    public_listing: bool = True
    documents: list[tuple[str, UploadedFile]] = field(default_factory=list)  # (kind, file)


def plan_zones(exhibition: Exhibition) -> list[str]:
    """The zones of the exhibition's floor plan, sorted."""
    return sorted({z for z in exhibition.floor_plan.booths.values_list("zone", flat=True) if z})


def _clean_application(exhibition: Exhibition, d: ApplicationDraft) -> ApplicationDraft:
    def text(value: str, name: str, limit: int, required: bool = False) -> str:
        value = " ".join((value or "").split())
        if required and not value:
            raise Invalid(str(errors.REQUIRED), field=name)
        if len(value) > limit:
            raise Invalid(_("At most %(n)s characters.") % {"n": limit}, field=name)
        return value

    d.company_name = text(d.company_name, "company_name", 200, True)
    d.company_name_en = text(d.company_name_en, "company_name_en", 200)
    d.contact_name = text(d.contact_name, "contact_name", 120, True)
    d.email = (d.email or "").strip().lower()
    try:
        validate_email(d.email)
    except ValidationError:
        raise Invalid(str(errors.BAD_EMAIL), field="email") from None
    d.phone = text(d.phone, "phone", 30, True)
    digits = sum(c.isdigit() for c in d.phone)
    if not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1] or any(not (c.isdigit() or c in " +-()") for c in d.phone):
        raise Invalid(str(errors.BAD_PHONE), field="phone")
    if d.province not in PROVINCES:
        raise Invalid(str(errors.BAD_PROVINCE), field="province")
    for name, value, choices in (("category", d.category, ExhibitorCategory.values),
                                 ("product_category", d.product_category, ProductCategory.values)):
        if value not in choices:
            raise Invalid(str(errors.BAD_CHOICE) % {"choices": ", ".join(choices)}, field=name)
    if d.booth_type and d.booth_type not in BoothType.values:
        raise Invalid(str(errors.BAD_CHOICE) % {"choices": ", ".join(BoothType.values)}, field="booth_type")
    if isinstance(d.booths_wanted, bool) or not isinstance(d.booths_wanted, int) or not 1 <= d.booths_wanted <= 8:
        raise Invalid(_("Ask for 1 to 8 booths."), field="booths_wanted")
    if d.otop_stars is not None and (isinstance(d.otop_stars, bool) or d.otop_stars not in range(1, 6)):
        raise Invalid(_("OTOP stars are 1 to 5."), field="otop_stars")
    d.community_reg_no = text(d.community_reg_no, "community_reg_no", 40)
    if d.category == ExhibitorCategory.COMMUNITY and not d.community_reg_no and not d.otop_stars:
        raise Invalid(str(errors.COMMUNITY_PROOF), field="community_reg_no")
    d.preferred_zone = text(d.preferred_zone, "preferred_zone", 30)
    zones = plan_zones(exhibition)
    if d.preferred_zone and d.preferred_zone not in zones:
        raise Invalid(str(errors.BAD_ZONE) % {"zone": d.preferred_zone, "zones": ", ".join(zones) or "-"},
                      field="preferred_zone")
    d.products = (d.products or "").strip()[:2000]
    d.competitors_text = (d.competitors_text or "").strip()[:1000]
    if len(d.documents) > MAX_DOCUMENTS:
        raise Invalid(str(errors.TOO_MANY_FILES) % {"n": MAX_DOCUMENTS}, field="documents")
    for _kind, upload in d.documents:
        _check_upload(upload)
    return d


def _check_upload(upload: UploadedFile) -> str:
    """The file's content type after checking size and magic bytes (the browser's claim is not trusted)."""
    name = (upload.name or "file")[-200:]
    if upload.size > MAX_DOCUMENT_MB * 1024 * 1024:
        raise Invalid(str(errors.FILE_TOO_BIG) % {"name": name, "mb": MAX_DOCUMENT_MB}, field="documents")
    head = upload.read(8)
    upload.seek(0)
    kind = ("application/pdf" if head.startswith(b"%PDF") else "image/png" if head.startswith(b"\x89PNG")
            else "image/jpeg" if head.startswith(b"\xff\xd8\xff") else mimetypes.guess_type(name)[0] or "")
    if kind not in DOCUMENT_TYPES or not (head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff"))):
        raise Invalid(str(errors.FILE_TYPE) % {"name": name}, field="documents")
    return kind


def default_priority(d: ApplicationDraft) -> int:
    """Starting priority points: 5, +3 for a community enterprise or OTOP producer, + its OTOP stars."""
    return 5 + (3 if d.category == ExhibitorCategory.COMMUNITY else 0) + (d.otop_stars or 0)


def application_submit(exhibition: Exhibition, draft: ApplicationDraft, *, base_url: str = ""
                       ) -> ExhibitorApplication:
    """A public application to exhibit; the applicant gets the private link of their page by e-mail
    (`base_url`, e.g. https://khuang.example.org, makes the link absolute)."""
    exhibition = Exhibition.objects.select_related("booking", "floor_plan").get(pk=exhibition.pk)  # as it is now
    if not exhibition.accepts_applications:
        raise ConflictError(str(errors.APPLICATIONS_CLOSED))
    d = _clean_application(exhibition, draft)
    live = (ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED, ApplicationStatus.WAITLISTED)
    lang = current_lang()
    try:
        app = _create_application(exhibition, d, live, lang)
    except IntegrityError:
        # A simultaneous submission with the same address reached the unique constraint first.
        raise ConflictError(str(errors.ALREADY_APPLIED), field="email") from None
    transaction.on_commit(partial(_notify, app.pk, "submitted", base_url))
    return app


def _create_application(exhibition: Exhibition, d: ApplicationDraft, live, lang: str) -> ExhibitorApplication:
    with transaction.atomic():
        if ExhibitorApplication.objects.filter(exhibition=exhibition, email=d.email, status__in=live).exists():
            raise ConflictError(str(errors.ALREADY_APPLIED), field="email")
        app = ExhibitorApplication.objects.create(
            exhibition=exhibition, company_name=d.company_name, company_name_en=d.company_name_en,
            contact_name=d.contact_name, email=d.email, phone=d.phone, province=d.province, category=d.category,
            community_reg_no=d.community_reg_no, otop_stars=d.otop_stars, product_category=d.product_category,
            products=d.products, booths_wanted=d.booths_wanted, booth_type=d.booth_type, needs_power=d.needs_power,
            needs_water=d.needs_water, preferred_zone=d.preferred_zone, competitors_text=d.competitors_text,
            public_listing=d.public_listing, language=lang, priority_points=default_priority(d))
        for kind, upload in d.documents:
            _store_document(app, kind, upload)
        _link_competitors(app)
        log_action(app, "submit", to_state=app.status)
    return app


def _store_document(app: ExhibitorApplication, kind: str, upload: UploadedFile) -> ApplicationDocument:
    from .models import DocumentKind

    content_type = _check_upload(upload)
    doc = ApplicationDocument(application=app, kind=kind if kind in DocumentKind.values else DocumentKind.OTHER,
                              name=(upload.name or "file")[-200:], size=upload.size, content_type=content_type)
    doc.file.save(f"{app.pk}-{doc.name}", upload, save=False)
    doc.save()
    return doc


def document_add(app: ExhibitorApplication, kind: str, upload: UploadedFile) -> ApplicationDocument:
    """The exhibitor adds a document from their page (at most MAX_DOCUMENTS in all)."""
    if app.documents.count() >= MAX_DOCUMENTS:
        raise Invalid(str(errors.TOO_MANY_FILES) % {"n": MAX_DOCUMENTS}, field="documents")
    with transaction.atomic():
        doc = _store_document(app, kind, upload)
        log_action(app, "document", data={"name": doc.name})
    return doc


def _link_competitors(app: ExhibitorApplication) -> None:
    """Suggest the competitors an applicant named: other applications of the fair whose name appears in the text
    (staff confirm or change the links on the review page)."""
    text = app.competitors_text.lower()
    if not text:
        return
    for other in app.exhibition.applications.exclude(pk=app.pk):
        names = [n.lower() for n in (other.company_name, other.company_name_en) if n and len(n) >= 3]
        if any(n in text for n in names):
            app.avoid.add(other)


def application_decide(app: ExhibitorApplication, decision: str, *, actor, reason: str = "",
                       base_url: str = "") -> ExhibitorApplication:
    """Accept, waitlist or decline an application (its exhibition's managers); waitlisting and declining need a
    reason the applicant reads, and end the application's holds and reservations."""
    _require_manager(app.exhibition, actor)
    targets = {"accept": ApplicationStatus.ACCEPTED, "waitlist": ApplicationStatus.WAITLISTED,
               "decline": ApplicationStatus.DECLINED}
    if decision not in targets:
        raise Invalid(str(errors.BAD_DECISION), field="decision")
    status = targets[decision]
    reason = (reason or "").strip()
    if status != ApplicationStatus.ACCEPTED and not reason:
        raise Invalid(str(errors.REASON_REQUIRED), field="reason")
    if app.status == ApplicationStatus.WITHDRAWN:
        raise ConflictError(_("The applicant withdrew this application."), field="status")
    with transaction.atomic():
        locked = ExhibitorApplication.objects.select_for_update().get(pk=app.pk)
        if status != ApplicationStatus.ACCEPTED:
            sold = locked.claims.filter(status=ClaimStatus.SOLD).select_related("booth").first()
            if sold is not None:
                raise ConflictError(str(errors.DECLINE_SOLD) % {"name": locked.company_name,
                                                                 "code": sold.booth.code}, field="decision")
            for claim in locked.claims.filter(status__in=(ClaimStatus.HOLD, ClaimStatus.RESERVED)):
                _end_claim(claim, actor=actor, reason=reason, action="release")
        was = locked.status
        locked.status, locked.decision_reason = status, reason
        locked.decided_by, locked.decided_at = _user(actor), timezone.now()
        locked.save()
        log_action(locked, decision, actor=actor, from_state=was, to_state=status, reason=reason)
    if was != status:
        transaction.on_commit(partial(_notify, locked.pk, status, base_url))
    return locked


APPLICATION_STAFF_FIELDS = {"priority_points", "pinned", "booths_wanted", "booth_type", "needs_power", "needs_water",
                            "preferred_zone", "category", "product_category"}


def application_update(app: ExhibitorApplication, changes: dict[str, Any], *, actor,
                       avoid: list[int] | None = None) -> ExhibitorApplication:
    """Managers adjust what the optimizer sees: priority points, pin, booth wishes, competitors kept apart."""
    _require_manager(app.exhibition, actor)
    unknown = set(changes) - APPLICATION_STAFF_FIELDS
    if unknown:
        raise Invalid(_("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))},
                      field=sorted(unknown)[0])
    if "preferred_zone" in changes and changes["preferred_zone"]:
        zones = plan_zones(app.exhibition)
        if changes["preferred_zone"] not in zones:
            raise Invalid(str(errors.BAD_ZONE) % {"zone": changes["preferred_zone"], "zones": ", ".join(zones)},
                          field="preferred_zone")
    with transaction.atomic():
        locked = ExhibitorApplication.objects.select_for_update().get(pk=app.pk)
        for key, value in changes.items():
            setattr(locked, key, value)
        try:
            locked.full_clean(exclude=["exhibition", "avoid", "token"])
        except ValidationError as exc:
            name, messages = next(iter(exc.message_dict.items()))
            raise Invalid(" ".join(messages), field=name) from None
        locked.save()
        if avoid is not None:
            others = list(ExhibitorApplication.objects.filter(exhibition=locked.exhibition, pk__in=avoid)
                          .exclude(pk=locked.pk))
            if len(others) != len(set(avoid) - {locked.pk}):
                raise Invalid(_("Competitors are other applications of this exhibition."), field="avoid")
            locked.avoid.set(others)
        log_action(locked, "update", actor=actor, data={k: str(v) for k, v in changes.items()}
                   | ({"avoid": sorted(avoid)} if avoid is not None else {}))
    return locked


def application_withdraw(app: ExhibitorApplication) -> ExhibitorApplication:
    """The exhibitor withdraws from their page; holds and reservations end (a bought booth stays: ask staff)."""
    if app.status in (ApplicationStatus.WITHDRAWN, ApplicationStatus.DECLINED):
        raise ConflictError(_("This application is already closed."), field="status")
    with transaction.atomic():
        locked = ExhibitorApplication.objects.select_for_update().get(pk=app.pk)
        if locked.claims.filter(status=ClaimStatus.SOLD).exists():
            raise ConflictError(_("You have bought a booth; contact the organiser to cancel."), field="status")
        for claim in locked.claims.filter(status__in=(ClaimStatus.HOLD, ClaimStatus.RESERVED)):
            _end_claim(claim, actor=None, reason=_("Withdrawn by the exhibitor."), action="release")
        was = locked.status
        locked.status = ApplicationStatus.WITHDRAWN
        locked.save()
        log_action(locked, "withdraw", from_state=was, to_state=locked.status)
    return locked


def application_set_listing(app: ExhibitorApplication, public_listing: bool) -> ExhibitorApplication:
    """The exhibitor chooses whether the public exhibitor list and map show them."""
    with transaction.atomic():
        ExhibitorApplication.objects.filter(pk=app.pk).update(public_listing=bool(public_listing))
        app.refresh_from_db()
        log_action(app, "listing", data={"public_listing": app.public_listing})
    return app


def sales_record(app: ExhibitorApplication, amount: Any, *, actor=None, by_exhibitor: bool = False
                 ) -> ExhibitorApplication:
    """Record a community or OTOP exhibitor's sales at the fair (the exhibitor on their page, or the managers);
    they count towards the fiscal year's community supplementary income."""
    if not by_exhibitor:
        _require_manager(app.exhibition, actor)
    if not app.is_community or app.status != ApplicationStatus.ACCEPTED:
        raise ConflictError(str(errors.SALES_COMMUNITY_ONLY), field="sales_thb")
    if not app.exhibition.has_begun:
        raise ConflictError(str(errors.SALES_NOT_YET), field="sales_thb")
    try:
        value = Decimal(str(amount).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise Invalid(str(errors.SALES_NEGATIVE), field="sales_thb") from None
    if isinstance(amount, bool) or not value.is_finite() or value < 0 or value > Decimal("9999999999"):
        raise Invalid(str(errors.SALES_NEGATIVE), field="sales_thb")
    value = value.quantize(Decimal("0.01"))
    with transaction.atomic():
        locked = ExhibitorApplication.objects.select_for_update().get(pk=app.pk)
        before = locked.sales_thb
        locked.sales_thb, locked.sales_recorded_at = value, timezone.now()
        locked.sales_recorded_by = None if by_exhibitor else _user(actor)
        locked.save(update_fields=["sales_thb", "sales_recorded_at", "sales_recorded_by", "updated_at"])
        log_action(locked, "sales", actor=None if by_exhibitor else actor,
                   data={"from": str(before) if before is not None else None, "to": str(value),
                         "by": "exhibitor" if by_exhibitor else "staff"})
    return locked


def _notify(app_id: int, kind: str, base_url: str = "") -> None:
    from .tasks import notify_applicant

    notify_applicant.enqueue(app_id, kind, base_url.rstrip("/"))


# ---------------------------------------------------------------- optimizer runs

def run_start(exhibition: Exhibition, *, actor, time_limit: float = 20, workers: int = 2,
              run_now: bool = False) -> AssignmentRun:
    """Queue an optimizer run for the exhibition's accepted exhibitors (or run it here when `run_now`)."""
    _require_manager(exhibition, actor)
    if not (1 <= time_limit <= 600) or not (1 <= workers <= 8):
        raise Invalid(str(errors.RUN_LIMITS), field="time_limit" if not 1 <= time_limit <= 600 else "workers")
    if not exhibition.applications.filter(status=ApplicationStatus.ACCEPTED).exists():
        raise ConflictError(str(errors.NOTHING_TO_ASSIGN))
    with transaction.atomic():
        run = AssignmentRun.objects.create(exhibition=exhibition, time_limit=time_limit, workers=workers,
                                           created_by=_user(actor))
        log_action(run, "run", actor=actor, data={"time_limit": time_limit, "workers": workers})
        if not run_now:
            from .tasks import run_assignment

            transaction.on_commit(partial(run_assignment.enqueue, run.pk))
    if run_now:
        run_execute(run.pk)
        run.refresh_from_db()
    return run


def run_execute(run_id: int) -> AssignmentRun:
    """Solve a queued run (the worker calls this); a run already taken by another worker is left alone."""
    from .booths.cpsat import solve
    from .booths.io import InstanceError, parse_instance
    from .booths.model import SolveOptions
    from .instance import build_instance

    if not AssignmentRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING):
        return AssignmentRun.objects.get(pk=run_id)
    run = AssignmentRun.objects.select_related("exhibition__floor_plan").get(pk=run_id)
    trace: list[dict[str, float]] = []
    last = [0.0]
    home = threading.get_ident()

    def on_progress(p) -> None:
        trace.append({"t": round(p.elapsed, 2), "objective": p.objective, "bound": p.bound})
        # The page polls the row; once a second is plenty. Only this thread writes: CP-SAT also reports from its
        # own threads, which must not open database connections of their own.
        if threading.get_ident() == home and p.elapsed - last[0] >= 1.0:
            last[0] = p.elapsed
            AssignmentRun.objects.filter(pk=run_id).update(progress=trace[-200:], objective=p.objective,
                                                           bound=p.bound, gap=p.gap)

    try:
        data, refs = build_instance(run.exhibition)
        solution = solve(parse_instance(data), SolveOptions(time_limit=run.time_limit, workers=run.workers,
                                                            on_progress=on_progress))
    except InstanceError as exc:
        AssignmentRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, error=str(exc))
        return AssignmentRun.objects.get(pk=run_id)
    except Exception as exc:  # the row must not stay "running"; the worker logs the traceback
        AssignmentRun.objects.filter(pk=run_id).update(status=RunStatus.FAILED, error=repr(exc)[:2000])
        raise
    result = {"assignments": {str(refs[a.exhibitor]): list(a.booths) for a in solution.assignments},
              "unassigned": [refs[x] for x in solution.unassigned]}
    explanations = {str(refs[k]): {"reason": x.reason, "message_en": x.message_en, "message_th": x.message_th,
                                   "blocking": [refs.get(b, b) for b in x.blocking], "zone_fit": x.zone_fit,
                                   "type_fit": x.type_fit}
                    for k, x in solution.explanations.items()}
    AssignmentRun.objects.filter(pk=run_id).update(
        status=RunStatus.SOLVED, objective=solution.objective, bound=solution.bound, gap=solution.gap,
        solver_status=solution.status, wall_seconds=solution.wall_seconds, progress=trace[-200:], result=result,
        explanations=explanations)
    return AssignmentRun.objects.get(pk=run_id)


def run_apply(run: AssignmentRun, *, actor) -> list[BoothClaim]:
    """Turn a solved run into reservations in one transaction: exhibitors moved by the run give up their old
    holds and reservations; a booth taken meanwhile aborts everything and is named."""
    exhibition = run.exhibition
    _require_manager(exhibition, actor)
    if run.status != RunStatus.SOLVED:
        raise ConflictError(str(errors.RUN_NOT_SOLVED), field="status")
    booths = {b.code: b for b in exhibition.floor_plan.booths.all()}
    apps = {a.pk: a for a in exhibition.applications.filter(status=ApplicationStatus.ACCEPTED)}
    created: list[BoothClaim] = []
    try:
        with transaction.atomic():
            locked = AssignmentRun.objects.select_for_update().get(pk=run.pk)
            if locked.status != RunStatus.SOLVED:
                raise ConflictError(str(errors.RUN_NOT_SOLVED), field="status")
            plan = {int(k): set(v) for k, v in locked.result.get("assignments", {}).items() if int(k) in apps}
            took_part = set(plan) | {int(k) for k in locked.result.get("unassigned", [])}
            # First free what moves: holds and reservations of the exhibitors the run places elsewhere (or not).
            for app_id, app in apps.items():
                if app_id not in took_part:
                    continue
                mine = {c.booth.code: c for c in app.claims.filter(active=True).select_related("booth")}
                target = plan.get(app_id, set())
                for code, claim in mine.items():
                    if claim.status in (ClaimStatus.HOLD, ClaimStatus.RESERVED) and code not in target:
                        _end_claim(claim, actor=actor, reason=_("Moved by the booth assignment."),
                                   action="release")
            for app_id, codes in plan.items():
                app = apps[app_id]
                for code in sorted(codes):
                    owner = _owner(exhibition, booths[code])
                    if owner is not None and owner.application_id == app_id:
                        if owner.status == ClaimStatus.HOLD:
                            created.append(_take(exhibition, code, app, ClaimStatus.RESERVED, actor=actor))
                        continue
                    if owner is not None:
                        raise ConflictError(str(errors.RUN_STALE) % {"code": code}, field="booth")
                    created.append(_take(exhibition, code, app, ClaimStatus.RESERVED, actor=actor,
                                         reason=_("Booth assignment run %(id)s") % {"id": run.pk}))
            locked.status, locked.applied_at = RunStatus.APPLIED, timezone.now()
            locked.save(update_fields=["status", "applied_at", "updated_at"])
            log_action(locked, "apply", actor=actor, data={"reserved": len(created)})
    except IntegrityError as exc:
        if not _is_unique_violation(exc):
            raise
        raise ConflictError(_("A booth was taken while the run was applied; run the optimizer again."),
                            field="booth") from None
    return created


def instance_json(exhibition: Exhibition, *, actor) -> str:
    """The exhibition as a booth exchange-format document, for `khuang booths solve` (its managers)."""
    from .instance import build_instance

    _require_manager(exhibition, actor)
    data, _refs = build_instance(exhibition)
    return json.dumps(data, ensure_ascii=False, indent=1)
