"""Forms of the operations pages: they parse and check shapes; the services decide everything else."""

from django import forms
from django.utils.translation import gettext_lazy as _

from khuang.core.forms import BEDateField
from khuang.venues.models import Layout

from .models import (
    EquipmentCategory,
    EquipmentItem,
    LeaveKind,
    MealKind,
    Skill,
    StaffMember,
    Team,
    TimelineKind,
)

ISO_DATETIME = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
WEEKDAYS = [(0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
            (5, _("Saturday")), (6, _("Sunday"))]


def _when(label) -> forms.DateTimeField:
    # Browsers' datetime-local inputs send ISO values in the venue's time zone, whatever the page language.
    return forms.DateTimeField(label=label, input_formats=ISO_DATETIME, widget=DATETIME)


class ServiceErrors:
    """Show a refusal from a service on the field it names, or above the form."""

    def add_service_error(self, field: str | None, message: str) -> None:
        self.add_error(field if field in self.fields else None, message)


class RequestForm(ServiceErrors, forms.Form):
    """Units of one item for the booking (0 takes the item off)."""

    item = forms.ModelChoiceField(label=_("Item"), queryset=EquipmentItem.objects.none(), to_field_name="code")
    quantity = forms.IntegerField(label=_("Units"), min_value=0, max_value=1_000_000)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items if items is not None else EquipmentItem.objects.none()
        self.fields["item"].label_from_instance = lambda i: f"{i.name} ({i.code}) · {i.stock} {i.unit}"


class ItemForm(ServiceErrors, forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=30)
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120, required=False)
    category = forms.ChoiceField(label=_("Item category"), choices=EquipmentCategory.choices)
    unit_th = forms.CharField(label=_("Unit (Thai)"), max_length=20, initial="ชิ้น")
    unit_en = forms.CharField(label=_("Unit (English)"), max_length=20, initial="pcs")
    stock = forms.IntegerField(label=_("Units in stock"), min_value=0, max_value=1_000_000)


class StockForm(ServiceErrors, forms.Form):
    stock = forms.IntegerField(label=_("Units in stock"), min_value=0, max_value=1_000_000)


class RepairForm(ServiceErrors, forms.Form):
    quantity = forms.IntegerField(label=_("Units"), min_value=1, max_value=1_000_000)
    first_day = BEDateField(label=_("From"))
    last_day = BEDateField(label=_("Until"))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class EventOrderForm(ServiceErrors, forms.Form):
    """The event order's own fields: layout, headcounts, the day's contact and each team's notes."""

    layout = forms.ChoiceField(label=_("Room layout"), required=False,
                               choices=[("", _("Not set"))] + list(Layout.choices))
    capacity = forms.IntegerField(label=_("Seats / places set"), min_value=0, max_value=1_000_000)
    layout_notes = forms.CharField(label=_("Layout details"), max_length=2000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    catering_headcount = forms.IntegerField(label=_("Catering headcount"), min_value=0, max_value=1_000_000)
    parking_spaces = forms.IntegerField(label=_("Parking spaces"), min_value=0, max_value=100_000)
    day_contact_name = forms.CharField(label=_("Customer's contact on the day"), max_length=120, required=False)
    day_contact_phone = forms.CharField(label=_("Contact phone on the day"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for team in Team:
            self.fields[f"notes_{team.value}"] = forms.CharField(
                label=_("Notes for %(team)s") % {"team": team.label}, max_length=2000, required=False,
                widget=forms.Textarea(attrs={"rows": 2}))


class TimelineForm(ServiceErrors, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TimelineKind.choices)
    start = _when(_("From"))
    end = _when(_("Until"))
    title = forms.CharField(label=_("What"), max_length=200, required=False)
    team = forms.ChoiceField(label=_("Team"), required=False, choices=[("", _("Everyone"))] + list(Team.choices))


class CateringForm(ServiceErrors, forms.Form):
    kind = forms.ChoiceField(label=_("Meal"), choices=MealKind.choices)
    served_at = _when(_("Served at"))
    headcount = forms.IntegerField(label=_("Headcount"), min_value=0, max_value=1_000_000)
    notes = forms.CharField(label=_("Menu and notes"), max_length=300, required=False)


class NeedForm(ServiceErrors, forms.Form):
    skill = forms.ChoiceField(label=_("Skill"), choices=Skill.choices)
    count = forms.IntegerField(label=_("People"), min_value=1, max_value=1000)
    start = _when(_("From"))
    end = _when(_("Until"))


class AssignmentForm(ServiceErrors, forms.Form):
    member = forms.ModelChoiceField(label=_("Person"), queryset=StaffMember.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Skill.choices)
    start = _when(_("From"))
    end = _when(_("Until"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members if members is not None else StaffMember.objects.none()
        self.fields["member"].label_from_instance = lambda m: f"{m.display_name} · {m.unit} · " + ", ".join(
            str(Skill(s).label) for s in m.skills if s in Skill.values)


class MemberForm(ServiceErrors, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120, required=False)
    unit = forms.CharField(label=_("Work unit"), max_length=120)
    skills = forms.MultipleChoiceField(label=_("Skills"), choices=Skill.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    working_days = forms.TypedMultipleChoiceField(label=_("Working days"), choices=WEEKDAYS, coerce=int,
                                                  required=False, widget=forms.CheckboxSelectMultiple,
                                                  initial=[0, 1, 2, 3, 4])
    day_starts = forms.TimeField(label=_("Working day starts"), input_formats=["%H:%M"], initial="08:30",
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    day_ends = forms.TimeField(label=_("Working day ends"), input_formats=["%H:%M"], initial="16:30",
                               widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class LeaveForm(ServiceErrors, forms.Form):
    first_day = BEDateField(label=_("From"))
    last_day = BEDateField(label=_("Until"))
    kind = forms.ChoiceField(label=_("Kind"), choices=LeaveKind.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class SendForm(forms.Form):
    note = forms.CharField(label=_("Note to the teams"), max_length=300, required=False)
