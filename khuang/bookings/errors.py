"""Refusal messages of the diary, named so tests and callers reuse them."""

from django.utils.translation import gettext_lazy as _

NAIVE_DATETIME = _("Give times with a UTC offset, e.g. 2027-02-03T09:00:00+07:00.")
END_BEFORE_START = _("The event must end after it starts.")
SPACE_INACTIVE = _("Space %(code)s is not in use.")
LAYOUT_MISSING = _("Space %(code)s has no %(layout)s layout; it offers: %(layouts)s.")
OVER_CAPACITY = _("%(attendees)s people exceed the %(capacity)s places of %(code)s in this layout.")
SLOT_TAKEN = _("The space is already taken for this time.")
SPACE_CLOSED = _("The space is closed for this time.")
HOLD_EXPIRED = _("This hold expired on %(when)s; make a new hold or inquiry.")
BAD_TRANSITION = _("A %(status)s booking cannot be %(action)s.")
NOT_ALLOWED = _("You may not %(action)s this booking.")
ONLY_STAFF_CONFIRM = _("Only center staff may confirm bookings in %(code)s.")
ROLE_MAY_NOT_HOLD = _("Your role may not place holds on %(code)s.")
RULE_MIN_ATTENDEES = _("Rule 'minimum attendance' of %(code)s: at least %(limit)s people.")
RULE_MAX_ATTENDEES = _("Rule 'maximum attendance' of %(code)s: at most %(limit)s people.")
RULE_MIN_DURATION = _("Rule 'minimum duration' of %(code)s: at least %(limit)s minutes.")
RULE_MAX_DURATION = _("Rule 'maximum duration' of %(code)s: at most %(limit)s minutes.")
RULE_MIN_LEAD = _("Rule 'lead time' of %(code)s: book at least %(limit)s days ahead.")
RULE_MAX_LEAD = _("Rule 'lead time' of %(code)s: book at most %(limit)s months ahead.")
OVERRIDE_NEEDS_REASON = _("Give a reason when overriding a booking rule.")
HIDDEN_TITLE = _("Booked")
