"""Public side of events: registration settings, registrations, Lanna attractions, festivals, tour packages.

A booking stays the diary's; `EventPage` adds what the public sees and how people register, linked by FK.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuang.core.i18n import pick as _pick
from khuang.core.models import TimeStampedModel


def new_code() -> str:
    """A short, unguessable check-in code (10 characters, no look-alike letters)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class EventPage(TimeStampedModel):
    """What the public page of one booking adds: description, capacity and registration settings."""

    booking = models.OneToOneField("bookings.Booking", verbose_name=_("booking"), on_delete=models.CASCADE,
                                   related_name="event_page")
    summary_th = models.TextField(_("public description (Thai)"), blank=True)
    summary_en = models.TextField(_("public description (English)"), blank=True)
    capacity = models.PositiveIntegerField(_("registration capacity"), null=True, blank=True,
                                           help_text=_("Empty: no registration."))
    waiting_list = models.BooleanField(_("waiting list when full"), default=True)
    registration_open = models.BooleanField(_("registration open"), default=True)
    packages = models.ManyToManyField("TourPackage", verbose_name=_("creative-tourism packages"), blank=True,
                                      related_name="events")

    class Meta:
        verbose_name = _("event page")
        verbose_name_plural = _("event pages")

    def __str__(self) -> str:
        return str(self.booking)

    @property
    def summary(self) -> str:
        return _pick(self.summary_th, self.summary_en)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(TimeStampedModel):
    """One person registered (or waiting) for one public event; the code is their check-in ticket."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    code = models.CharField(_("check-in code"), max_length=12, unique=True, default=new_code)
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices,
                              default=RegistrationStatus.REGISTERED, db_index=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    # A keyed hash of the address the registration came from (never the address itself), to throttle floods.
    client_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    # The language the person registered in: their confirmation, moving-up notice and reminder use it.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="th")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One live registration per e-mail and event; a cancelled one frees the address again.
            models.UniqueConstraint(fields=["event", "email"], condition=~Q(status="cancelled"),
                                    name="registration_one_per_email"),
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.code} ({self.get_status_display()})"


class Attraction(TimeStampedModel):
    """A Lanna attraction near the venue (temple, craft village, museum) with coordinates and a visit length."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    province = models.CharField(_("province"), max_length=60, blank=True)
    district = models.CharField(_("district"), max_length=60, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    approx = models.BooleanField(_("approximate coordinates"), default=False)
    kind = models.CharField(_("kind"), max_length=120, blank=True)
    visit_hours = models.DecimalField(_("visit (hours)"), max_digits=4, decimal_places=1, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True)
    is_active = models.BooleanField(_("shown to the public"), default=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("attraction")
        verbose_name_plural = _("attractions")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _pick(self.name_th, self.name_en)


class Festival(TimeStampedModel):
    """A festival, fair, holiday or season of the Lanna calendar, with its rule and dated occurrences."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30)
    name_th = models.CharField(_("name (Thai)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    province = models.CharField(_("province"), max_length=120, blank=True, help_text=_("ALL or a ;-list."))
    rule = models.CharField(_("rule"), max_length=200, blank=True)
    approx = models.BooleanField(_("approximate dates"), default=False)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("festival")
        verbose_name_plural = _("festivals")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _pick(self.name_th, self.name_en)


class FestivalDate(models.Model):
    """One occurrence of a festival, inclusive dates."""

    festival = models.ForeignKey(Festival, on_delete=models.CASCADE, related_name="occurrences")
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["festival", "start"], name="festival_date_unique"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="festival_date_order"),
        ]
        verbose_name = _("festival date")
        verbose_name_plural = _("festival dates")

    def __str__(self) -> str:
        return f"{self.festival.key} {self.start}..{self.end}"


class TourPackage(TimeStampedModel):
    """A creative-tourism add-on staff attach to events: a pre/post tour or a workshop."""

    class Kind(models.TextChoices):
        PRE_TOUR = "pre_tour", _("Pre-event tour")
        POST_TOUR = "post_tour", _("Post-event tour")
        WORKSHOP = "workshop", _("Workshop")

    title_th = models.CharField(_("title (Thai)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description_th = models.TextField(_("description (Thai)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    duration_hours = models.DecimalField(_("duration (hours)"), max_digits=4, decimal_places=1, null=True,
                                         blank=True)
    price_thb = models.DecimalField(_("price (THB)"), max_digits=9, decimal_places=0, null=True, blank=True)
    attractions = models.ManyToManyField(Attraction, verbose_name=_("attractions"), blank=True)

    class Meta:
        ordering = ["kind", "title_th"]
        verbose_name = _("creative-tourism package")
        verbose_name_plural = _("creative-tourism packages")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _pick(self.title_th, self.title_en)

    @property
    def description(self) -> str:
        return _pick(self.description_th, self.description_en)
