"""Admin for the diary: staff set booking rules per space; bookings are read here and changed in the diary,
so every change goes through the services (conflict checks, option ranks, audit)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from khuang.accounts.models import User

from .models import Booking, BookingRule

PAIRS = (("min_attendees", "max_attendees"), ("min_duration_minutes", "max_duration_minutes"))


class BookingRuleForm(forms.ModelForm):
    hold_roles = forms.MultipleChoiceField(label=_("roles that may hold directly"), choices=User.Role.choices,
                                           required=False, widget=forms.CheckboxSelectMultiple,
                                           help_text=_("Empty: center staff and agency planners."))
    confirm_roles = forms.MultipleChoiceField(label=_("roles that may confirm directly"),
                                              choices=User.Role.choices, required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              help_text=_("Empty: center staff only."))

    class Meta:
        model = BookingRule
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        for low, high in PAIRS:
            if cleaned.get(low) is not None and cleaned.get(high) is not None and cleaned[low] > cleaned[high]:
                self.add_error(high, _("The maximum cannot be below the minimum."))
        return cleaned


@admin.register(BookingRule)
class BookingRuleAdmin(admin.ModelAdmin):
    form = BookingRuleForm
    list_display = ("space", "min_attendees", "max_attendees", "min_lead_days", "max_lead_months",
                    "default_hold_days", "max_hold_days", "max_span_days")
    list_select_related = ("space",)
    search_fields = ("space__code", "space__name_th", "space__name_en")


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("title", "space", "start", "end", "status", "option_rank", "agency")
    list_filter = ("status", "space__venue", "event_type", "is_public")
    list_select_related = ("space", "agency")
    search_fields = ("title", "title_en", "contact_name", "space__code")
    date_hierarchy = "start"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
