"""Refusal messages of the public side, named so tests and views reuse them."""

from django.utils.translation import gettext_lazy as _

NO_REGISTRATION = _("This event does not take registrations.")
REGISTRATION_CLOSED = _("Registration for this event is closed.")
EVENT_PAST = _("This event has already started; registration is closed.")
EVENT_CANCELLED = _("This event was cancelled.")
EVENT_FULL = _("This event is full and has no waiting list.")
ALREADY_REGISTERED = _("This e-mail address is already registered for this event.")
NAME_REQUIRED = _("Give your name.")
BAD_EMAIL = _("Give a valid e-mail address, e.g. name@example.org.")
BAD_PHONE = _("Give a phone number of 9 to 15 digits, e.g. 081 234 5678 or +66 81 234 5678.")
ALREADY_CHECKED_IN = _("%(name)s was already checked in at %(time)s.")
NOT_CONFIRMED = _("%(name)s is on the waiting list, not registered.")
REGISTRATION_CANCELLED = _("This registration was cancelled.")
NOT_YOURS = _("You may not manage registrations of this event.")
TOO_MANY_FROM_ADDRESS = _("Too many registrations from your connection; please try again later.")
TOO_MANY_FOR_EVENT = _("This event is receiving very many registrations right now; please try again in a few minutes.")
