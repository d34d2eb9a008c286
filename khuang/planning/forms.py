"""Forms of the planning pages: they parse and check shapes; the services decide everything else."""

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from khuang.accounts.models import Agency
from khuang.core import thaidates
from khuang.core.forms import BEDateField
from khuang.core.models import ActivityType
from khuang.venues.models import Layout, Space

from .imports import MAX_IMPORT_BYTES
from .models import MAX_NOTES, PlanningSettings, Proposal

MONTHS = [(str(m), thaidates.MONTHS_TH_FULL[m - 1]) for m in range(1, 13)]


def month_choices(lang: str) -> list[tuple[str, str]]:
    """Month numbers named in the page's language, in fiscal-year order (October first)."""
    names = thaidates.MONTHS_TH_FULL if lang.startswith("th") else thaidates.MONTHS_EN_FULL
    return [(str(m), names[m - 1]) for m in (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)]


class ProposalForm(forms.Form):
    """An activity proposal: what, how long, how many, where and when; staff also choose the agency."""

    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), to_field_name="code",
                                    required=False)
    fiscal_year = forms.IntegerField(label=_("Fiscal year (BE)"), min_value=2500, max_value=2700)
    ref = forms.CharField(label=_("Reference"), max_length=40, help_text=_("The id used in plan files, e.g. P-001."))
    title_th = forms.CharField(label=_("Title (Thai)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    activity_type = forms.ChoiceField(label=_("Activity type"), choices=ActivityType.choices)
    days = forms.IntegerField(label=_("Event days"), min_value=1, max_value=366, initial=1)
    setup_days = forms.IntegerField(label=_("Setup days"), min_value=0, max_value=60, initial=0)
    teardown_days = forms.IntegerField(label=_("Teardown days"), min_value=0, max_value=60, initial=0)
    attendees = forms.IntegerField(label=_("Expected attendance"), min_value=0, max_value=1_000_000, initial=0)
    layout = forms.ChoiceField(label=_("Layout"), required=False, choices=[("", "—"), *Layout.choices])
    allowed_spaces = forms.ModelMultipleChoiceField(
        label=_("Allowed spaces"), queryset=Space.objects.none(), to_field_name="code", required=False,
        help_text=_("Empty: any space that fits."), widget=forms.CheckboxSelectMultiple)
    earliest = BEDateField(label=_("Earliest start"), required=False)
    latest_end = BEDateField(label=_("Latest end"), required=False)
    preferred_months = forms.MultipleChoiceField(label=_("Preferred months"), required=False, choices=MONTHS,
                                                 widget=forms.CheckboxSelectMultiple)
    fixed_start = BEDateField(label=_("Fixed start"), required=False)
    priority = forms.IntegerField(label=_("Priority (1 low – 5 high)"), min_value=1, max_value=5, initial=3)
    is_public = forms.BooleanField(label=_("Public event"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=MAX_NOTES,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, venue=None, lang: str = "th", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allowed_spaces"].queryset = Space.objects.filter(venue=venue, is_active=True).order_by("code")
        self.fields["preferred_months"].choices = month_choices(lang)
        if Proposal.may_propose_for_any_agency(user):
            self.fields["agency"].queryset = Agency.objects.order_by("code")
            self.fields["agency"].required = True
        else:
            del self.fields["agency"]

    def service_data(self) -> dict[str, Any]:
        """The cleaned fields in the shape `proposal_save` takes (without agency and spaces)."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("agency", "allowed_spaces")}
        data["preferred_months"] = sorted(int(m) for m in data.get("preferred_months") or [])
        data["layout"] = data.get("layout") or ""
        return data

    def add_service_error(self, field: str | None, message: str) -> None:
        """Put a service's refusal on the field it names, or on the whole form."""
        self.add_error(field if field in self.fields else None, message)


class ImportForm(forms.Form):
    """An Excel, CSV or exchange-format JSON file of proposals for one fiscal year."""

    fiscal_year = forms.IntegerField(label=_("Fiscal year (BE)"), min_value=2500, max_value=2700)
    file = forms.FileField(label=_("File (.xlsx, .csv or .json)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return f


class RunForm(forms.Form):
    """Optimizer settings for a new plan version: all "advanced" (the defaults suit a year's plan)."""

    time_limit = forms.FloatField(label=_("Time limit (seconds)"), min_value=1, initial=30)
    seed = forms.IntegerField(label=_("Seed"), min_value=0, max_value=2**31 - 1, initial=0,
                              help_text=_("The same seed gives the same plan."))
    workers = forms.IntegerField(label=_("Solver threads"), min_value=1, initial=2)

    def __init__(self, *args, **kwargs):
        from .services import solve_caps

        super().__init__(*args, **kwargs)
        max_seconds, max_workers = solve_caps()
        self.fields["time_limit"].max_value = max_seconds
        self.fields["time_limit"].widget.attrs["max"] = f"{max_seconds:g}"
        self.fields["time_limit"].validators.append(MaxValueValidator(max_seconds))
        self.fields["time_limit"].help_text = _("At most %(n)s seconds on this server.") % {"n": f"{max_seconds:g}"}
        self.fields["workers"].max_value = max_workers
        self.fields["workers"].widget.attrs["max"] = max_workers
        self.fields["workers"].validators.append(MaxValueValidator(max_workers))
        self.fields["workers"].initial = min(2, max_workers)
        self.fields["workers"].help_text = _("At most %(n)s on this server.") % {"n": max_workers}


class PlanningSettingsForm(forms.ModelForm):
    """The venue's daily limits and weights; the model says what each range means."""

    class Meta:
        model = PlanningSettings
        fields = ["max_events_per_day", "max_moveins_per_day", "week_bonus", "oversize_penalty"]
        widgets = {"week_bonus": forms.NumberInput(attrs={"step": "0.5", "min": 0}),
                   "oversize_penalty": forms.NumberInput(attrs={"step": "0.05", "min": 0, "max": 0.99}),
                   "max_events_per_day": forms.NumberInput(attrs={"min": 1}),
                   "max_moveins_per_day": forms.NumberInput(attrs={"min": 1})}


class PinForm(forms.Form):
    """Move or pin one plan item: its space, its first event day, and which of the two stay fixed."""

    space = forms.ModelChoiceField(label=_("Space"), queryset=Space.objects.none(), to_field_name="code",
                                   required=False)
    start = BEDateField(label=_("First event day"), required=False)
    pin_space = forms.BooleanField(label=_("Pin space"), required=False)
    pin_start = forms.BooleanField(label=_("Pin dates"), required=False)

    def __init__(self, *args, venue=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = Space.objects.filter(venue=venue, is_active=True).order_by("code")
