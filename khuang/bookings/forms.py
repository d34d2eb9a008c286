"""Forms of the diary pages: they parse and check shapes; the services decide everything else."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuang.accounts.models import Agency
from khuang.core.forms import BEDateField
from khuang.core.models import ActivityType
from khuang.venues.models import CustomerClass, Layout, Space

from .models import Booking, BookingStatus
from .services import BookingDraft

# Where a service's `field` lands on the form (the form splits datetimes into day + time).
SERVICE_FIELDS = {
    "start": "start_time",
    "end": "end_time",
    "space": "space",
    "title": "title",
    "attendees": "attendees",
    "layout": "layout",
    "status": "status",
    "reason": "reason",
    "setup_minutes": "setup_minutes",
    "teardown_minutes": "teardown_minutes",
    "hold_expires_at": "status",
    "agency": "agency",
    "contact_email": "contact_email",
}
MAX_SETUP_MINUTES = 60 * 24 * 14
ISO_TIME = ["%H:%M", "%H:%M:%S"]


class BookingForm(forms.Form):
    """A new booking from the diary: one space, a first and last day, event times, setup and teardown."""

    space = forms.ModelChoiceField(label=_("Space"), queryset=Space.objects.none(), to_field_name="code")
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    # Dates: d/m/yyyy in Buddhist Era in Thai, ISO from the browser's date input in English (both accepted).
    day = BEDateField(label=_("First day"))
    end_day = BEDateField(label=_("Last day"), required=False,
                              help_text=_("Leave empty for a one-day event."))
    start_time = forms.TimeField(label=_("Starts at"), initial=time(9, 0), input_formats=ISO_TIME,
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("Ends at"), initial=time(17, 0), input_formats=ISO_TIME,
                               widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    setup_minutes = forms.IntegerField(label=_("Setup (minutes)"), min_value=0, max_value=MAX_SETUP_MINUTES,
                                       initial=0)
    teardown_minutes = forms.IntegerField(label=_("Teardown (minutes)"), min_value=0,
                                          max_value=MAX_SETUP_MINUTES, initial=0)
    status = forms.ChoiceField(label=_("State"), initial=BookingStatus.HOLD, choices=[
        (BookingStatus.INQUIRY, BookingStatus.INQUIRY.label),
        (BookingStatus.HOLD, BookingStatus.HOLD.label),
        (BookingStatus.CONFIRMED, BookingStatus.CONFIRMED.label),
    ])
    event_type = forms.ChoiceField(label=_("Activity type"), choices=ActivityType.choices,
                                   initial=ActivityType.OTHER)
    attendees = forms.IntegerField(label=_("Expected attendance"), min_value=0, max_value=1_000_000, initial=0)
    layout = forms.ChoiceField(label=_("Layout"), required=False,
                               choices=[("", _("Any layout"))] + list(Layout.choices))
    customer_class = forms.ChoiceField(label=_("Customer class"), choices=CustomerClass.choices,
                                       initial=CustomerClass.GOVERNMENT)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.all(), to_field_name="code",
                                    empty_label=_("No agency"),
                                    required=False)
    contact_name = forms.CharField(label=_("Contact name"), max_length=120, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    is_public = forms.BooleanField(label=_("Show on the public calendar"), required=False)
    description = forms.CharField(label=_("Description"), max_length=5000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    override_rules = forms.BooleanField(label=_("Override the space's booking rules"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False)

    def __init__(self, *args, user=None, spaces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["space"].queryset = spaces if spaces is not None else Space.objects.filter(is_active=True)
        self.fields["space"].label_from_instance = lambda s: f"{s.code} · {s.name}"
        self.fields["agency"].label_from_instance = lambda a: f"{a.code} · {a.name}"
        if not Booking.may_book_for_any_agency(user):
            # Planners book for their own agency and cannot confirm or override rules (the service says so too).
            for name in ("agency", "override_rules"):
                del self.fields[name]
            self.fields["status"].choices = [c for c in self.fields["status"].choices
                                             if c[0] != BookingStatus.CONFIRMED]

    def clean(self) -> dict:
        data = super().clean()
        day, start_time, end_time = data.get("day"), data.get("start_time"), data.get("end_time")
        if day is None or start_time is None or end_time is None:
            return data
        end_day: date = data.get("end_day") or day
        if end_day < day:
            self.add_error("end_day", _("The last day cannot be before the first day."))
            return data
        if end_day - day > timedelta(days=366):
            self.add_error("end_day", _("A booking lasts at most a year."))
            return data
        tz = timezone.get_current_timezone()
        data["start"] = datetime.combine(day, start_time, tzinfo=tz)
        data["end"] = datetime.combine(end_day, end_time, tzinfo=tz)
        if data["end"] <= data["start"]:
            self.add_error("end_time", _("The event must end after it starts."))
        return data

    def draft(self) -> BookingDraft:
        """The validated form as the service's input."""
        d = self.cleaned_data
        return BookingDraft(
            space=d["space"], title=d["title"], title_en=d["title_en"], description=d["description"],
            start=d["start"], end=d["end"], setup_minutes=d["setup_minutes"], teardown_minutes=d["teardown_minutes"],
            status=d["status"], attendees=d["attendees"], layout=d["layout"] or "", event_type=d["event_type"],
            customer_class=d["customer_class"], is_public=d["is_public"],
            agency=d.get("agency") or getattr(self.user, "agency", None),
            contact_name=d["contact_name"], contact_email=d["contact_email"], contact_phone=d["contact_phone"],
        )

    def add_service_error(self, field: str | None, message: str) -> None:
        """Show a refusal from the service on the field it names (or above the form)."""
        name = SERVICE_FIELDS.get(field or "")
        self.add_error(name if name in self.fields else None, message)


class ReasonForm(forms.Form):
    """Why a booking changes state (kept in the audit trail)."""

    reason = forms.CharField(label=_("Reason"), max_length=2000, required=False,
                             widget=forms.TextInput(attrs={"placeholder": _("Reason")}))
