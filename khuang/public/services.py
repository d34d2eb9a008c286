"""Writes of the public side: registrations (with waiting list and check-in), event pages, tourism data.

The public app never writes bookings; it only adds its own rows linked to them.
"""

import hashlib
import hmac
import io
import json
import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from khuang.bookings.models import Booking, BookingStatus
from khuang.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from khuang.core.errors import ValidationFailed as RegistrationInvalid
from khuang.core.models import log_action
from khuang.core.thaidates import format_date

from . import errors
from .models import Attraction, EventPage, Festival, FestivalDate, Registration, RegistrationStatus
from .tasks import send_registration_email

logger = logging.getLogger(__name__)
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{7,20}$")


class RegistrationThrottled(ApplicationError):
    """Too many registrations from one address, or for one event, in a short time (settings
    KHUANG_REGISTRATION_LIMITS); nothing was registered and no e-mail sent."""

    status_code = 429


def client_fingerprint(address: str) -> str:
    """A keyed hash of a client address: enough to count its registrations, useless to identify anyone."""
    if not address:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def _check_throttle(page: EventPage, fingerprint: str) -> None:
    """Refuse a registration past the per-address or per-event limit (counted from the registrations themselves,
    so the limits hold across processes and restarts). Call with the event page locked."""
    limits = getattr(settings, "KHUANG_REGISTRATION_LIMITS", {})
    now = timezone.now()
    per_address = limits.get("per_address")
    if fingerprint and per_address:
        count, seconds = per_address
        recent = Registration.objects.filter(client_hash=fingerprint, created_at__gte=now - timedelta(seconds=seconds))
        if recent.count() >= count:
            raise RegistrationThrottled(str(errors.TOO_MANY_FROM_ADDRESS), field="form")
    per_event = limits.get("per_event")
    if per_event:
        count, seconds = per_event
        if page.registrations.filter(created_at__gte=now - timedelta(seconds=seconds)).count() >= count:
            raise RegistrationThrottled(str(errors.TOO_MANY_FOR_EVENT), field="form")


@dataclass
class RegistrationDraft:
    """What a visitor types into the registration form."""

    name: str
    email: str
    phone: str
    organisation: str = ""


def _clean(draft: RegistrationDraft) -> RegistrationDraft:
    """The draft tidied; every bad field is named at once (`extra["errors"]`: field → message), the first one
    also as the error's own field and message."""
    problems: dict[str, str] = {}
    name = " ".join(draft.name.split())
    if not name or len(name) > 120:
        problems["name"] = str(errors.NAME_REQUIRED)
    email = draft.email.strip().lower()
    try:
        validate_email(email)
        if len(email) > 254:
            raise ValidationError("too long")
    except ValidationError:
        problems["email"] = str(errors.BAD_EMAIL)
    phone = draft.phone.strip()
    digits = re.sub(r"\D", "", phone)
    if not PHONE_RE.match(phone) or not 9 <= len(digits) <= 15:
        problems["phone"] = str(errors.BAD_PHONE)
    if problems:
        field, message = next(iter(problems.items()))
        raise RegistrationInvalid(message, field=field, extra={"errors": problems})
    organisation = " ".join(draft.organisation.split())[:200]
    return RegistrationDraft(name=name, email=email, phone=phone, organisation=organisation)


def _check_open(booking: Booking, page: EventPage | None) -> EventPage:
    if page is None or page.capacity is None:
        raise RegistrationInvalid(str(errors.NO_REGISTRATION))
    if booking.status == BookingStatus.CANCELLED:
        raise RegistrationInvalid(str(errors.EVENT_CANCELLED))
    if booking.start <= timezone.now():
        raise RegistrationInvalid(str(errors.EVENT_PAST))
    if not page.registration_open or not booking.is_public:
        raise RegistrationInvalid(str(errors.REGISTRATION_CLOSED))
    return page


def registration_create(booking: Booking, draft: RegistrationDraft, *, client: str = "") -> Registration:
    """Register a person (or put them on the waiting list when full); e-mails the ticket after commit.

    `client` is the address the request came from; a flood from one address, or onto one event, is refused (429).
    """
    clean = _clean(draft)
    page = _check_open(booking, EventPage.objects.filter(booking=booking).first())
    fingerprint = client_fingerprint(client)
    try:
        with transaction.atomic():
            page = EventPage.objects.select_for_update().get(pk=page.pk)
            _check_throttle(page, fingerprint)
            live = page.registrations.exclude(status=RegistrationStatus.CANCELLED)
            if live.filter(email=clean.email).exists():
                raise ConflictError(str(errors.ALREADY_REGISTERED), field="email")
            taken = live.filter(status=RegistrationStatus.REGISTERED).count()
            if taken < page.capacity:
                status = RegistrationStatus.REGISTERED
            elif page.waiting_list:
                status = RegistrationStatus.WAITING
            else:
                raise ConflictError(str(errors.EVENT_FULL))
            reg = Registration.objects.create(event=page, name=clean.name, email=clean.email, phone=clean.phone,
                                              organisation=clean.organisation, status=status,
                                              client_hash=fingerprint, language=_language())
            log_action(reg, "register", to_state=status)
    except IntegrityError:
        # A simultaneous submission with the same address reached the unique constraint first.
        raise ConflictError(str(errors.ALREADY_REGISTERED), field="email") from None
    transaction.on_commit(partial(send_registration_email.enqueue, reg.pk, reg.language))  # mail by the worker
    return reg


def registration_cancel(reg: Registration, *, actor=None) -> list[Registration]:
    """Cancel a registration; when a seat frees up, the first on the waiting list moves up. Returns those moved."""
    with transaction.atomic():
        page = EventPage.objects.select_for_update().get(pk=reg.event_id)
        reg = Registration.objects.get(pk=reg.pk)
        if reg.status == RegistrationStatus.CANCELLED:
            raise RegistrationInvalid(str(errors.REGISTRATION_CANCELLED))
        previous = reg.status
        reg.status = RegistrationStatus.CANCELLED
        reg.save(update_fields=["status", "updated_at"])
        log_action(reg, "cancel", actor=actor, from_state=previous, to_state=reg.status)
        moved = _promote_waiting(page, actor)
    for m in moved:  # each in the language they registered in, not the canceller's
        transaction.on_commit(partial(send_registration_email.enqueue, m.pk, m.language))
    return moved


def _promote_waiting(page: EventPage, actor) -> list[Registration]:
    taken = page.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    free = max(0, (page.capacity or 0) - taken)
    moved = list(page.registrations.filter(status=RegistrationStatus.WAITING).order_by("created_at", "id")[:free])
    for m in moved:
        m.status = RegistrationStatus.REGISTERED
        m.save(update_fields=["status", "updated_at"])
        log_action(m, "promote", actor=actor, from_state=RegistrationStatus.WAITING, to_state=m.status)
    return moved


def registration_check_in(reg: Registration, *, actor) -> Registration:
    """Mark a registered person as arrived; staff, or the event's own agency planner, only."""
    if not reg.event.booking.can_manage_registrations(actor):
        raise PermissionDeniedError(str(errors.NOT_YOURS))
    with transaction.atomic():
        reg = Registration.objects.select_for_update().get(pk=reg.pk)
        if reg.status == RegistrationStatus.CANCELLED:
            raise ConflictError(str(errors.REGISTRATION_CANCELLED))
        if reg.status == RegistrationStatus.WAITING:
            raise ConflictError(str(errors.NOT_CONFIRMED) % {"name": reg.name})
        if reg.checked_in_at is not None:
            local = timezone.localtime(reg.checked_in_at)
            raise ConflictError(str(errors.ALREADY_CHECKED_IN) % {"name": reg.name, "time": f"{local:%H:%M}"})
        reg.checked_in_at = timezone.now()
        reg.save(update_fields=["checked_in_at", "updated_at"])
        log_action(reg, "check_in", actor=actor)
    return reg


def qr_svg(text: str) -> str:
    """An inline SVG QR code (paths only, no external references)."""
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return img.to_string(encoding="unicode")


def qr_png(text: str) -> bytes:
    """A PNG QR code for e-mail attachments."""
    import qrcode

    buf = io.BytesIO()
    qrcode.make(text, box_size=8, border=2).save(buf, format="PNG")
    return buf.getvalue()


def _language() -> str:
    """The active language as one of the site's language codes (Thai when none matches)."""
    active = translation.get_language() or "th"
    return "en" if active.startswith("en") else "th"


def registration_notify(reg_id: int, lang: str | None = None) -> None:
    """E-mail the confirmation (or waiting-list notice) with the QR ticket attached."""
    reg = Registration.objects.select_related("event__booking__space__venue").filter(pk=reg_id).first()
    if reg is None or reg.status == RegistrationStatus.CANCELLED:
        return
    booking = reg.event.booking
    lang = lang or reg.language or "th"
    with translation.override(lang):
        start = timezone.localtime(booking.start)
        title = booking.display_title(lang)
        if reg.status == RegistrationStatus.REGISTERED:
            subject = _("Registration confirmed: %(title)s") % {"title": title}
            head = _("You are registered.")
        else:
            subject = _("Waiting list: %(title)s") % {"title": title}
            head = _("The event is full; you are on the waiting list and will be told when a place frees up.")
        body = "\n".join([
            _("Dear %(name)s,") % {"name": reg.name}, "", head, "",
            f"{title}", f"{format_date(start, lang)} {start:%H:%M}",
            f"{booking.space.name}, {booking.space.venue.name}",
            "", _("Your check-in code: %(code)s") % {"code": reg.code},
            _("Show the attached QR code at the registration desk."),
        ])
    msg = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [reg.email])
    msg.attach(f"khuang-{reg.code}.png", qr_png(reg.code), "image/png")
    try:
        msg.send()
    except Exception:  # the registration stands; staff see the failure in the log and can resend the ticket
        logger.exception("Registration e-mail for %s (event %s) to %s could not be sent", reg.code,
                         booking.pk, reg.email)


REMIND_AHEAD = timedelta(hours=24)


def registration_reminders_send(now=None) -> int:
    """E-mail everyone registered for an event starting within the next 24 hours, once each; returns how many.

    Safe to run often and from several workers at once: a reminder is claimed (reminded_at set) before it is sent.
    """
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=RegistrationStatus.REGISTERED, reminded_at__isnull=True, event__booking__start__gt=now,
        event__booking__start__lte=now + REMIND_AHEAD).exclude(event__booking__status=BookingStatus.CANCELLED)
    sent = 0
    for reg_id in due.values_list("pk", flat=True):
        if not Registration.objects.filter(pk=reg_id, reminded_at__isnull=True).update(reminded_at=now):
            continue  # another run took it
        reg = Registration.objects.select_related("event__booking__space__venue").get(pk=reg_id)
        booking = reg.event.booking
        lang = reg.language or "th"
        with translation.override(lang):
            start = timezone.localtime(booking.start)
            title = booking.display_title(lang)
            subject = _("Reminder: %(title)s") % {"title": title}
            body = "\n".join([
                _("Dear %(name)s,") % {"name": reg.name}, "",
                _("A reminder: you are registered for this event."), "",
                title, f"{format_date(start, lang)} {start:%H:%M}",
                f"{booking.space.name}, {booking.space.venue.name}", "",
                _("Your check-in code: %(code)s") % {"code": reg.code},
            ])
        EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [reg.email]).send(fail_silently=True)
        sent += 1
    return sent


def event_page_save(booking: Booking, **fields) -> EventPage:
    """Create or update the public extras of a booking (capacity, descriptions, registration switches)."""
    page, _created = EventPage.objects.update_or_create(booking=booking, defaults=fields)
    return page


# ---------------------------------------------------------------- tourism data

def _dec(value, places: str = "0.000001") -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal(places))


@transaction.atomic
def tourism_seed(directory: Path | None = None) -> tuple[int, int]:
    """Load attractions and festival dates from the shipped JSON files (idempotent); returns both counts."""
    base = Path(directory or settings.KHUANG_SHARED_DATA)
    attractions = json.loads((base / "lanna_attractions.json").read_text(encoding="utf-8"))
    for row in attractions:
        Attraction.objects.update_or_create(key=row["key"], defaults={
            "name_th": row["name_th"], "name_en": row["name_en"], "province": row.get("province") or "",
            "district": row.get("district") or "", "latitude": _dec(row.get("lat")), "longitude": _dec(row.get("lon")),
            "approx": bool(row.get("approx")), "kind": (row.get("kind") or "")[:120],
            "visit_hours": _dec(row.get("visit_hours"), "0.1"),
            "note": row.get("note") or "", "source": row.get("source") or "",
        })
    calendar = json.loads((base / "lanna_calendar.json").read_text(encoding="utf-8"))
    for row in calendar:
        festival, _created = Festival.objects.update_or_create(key=row["key"], defaults={
            "kind": row.get("kind") or "", "name_th": row["name_th"], "name_en": row["name_en"],
            "province": row.get("province") or "", "rule": (row.get("rule") or "")[:200],
            "approx": bool(row.get("approx")), "note": row.get("note") or "", "source": row.get("source") or "",
        })
        for span in (row.get("dates") or {}).values():
            if not span:
                continue
            first, last = date.fromisoformat(span[0]), date.fromisoformat(span[1])
            FestivalDate.objects.update_or_create(festival=festival, start=first, defaults={"end": last})
    return len(attractions), len(calendar)
