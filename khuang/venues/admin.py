from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from .models import Closure, RateCard, Space, Venue
from .services import validate_space_parts


class SpaceAdminForm(forms.ModelForm):
    class Meta:
        model = Space
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        venue = cleaned.get("venue")
        parts = cleaned.get("parts")
        if venue is not None and parts is not None:
            try:
                validate_space_parts(self.instance, venue, list(parts))
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


class RateCardInline(admin.TabularInline):
    model = RateCard
    extra = 0


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "province"]


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    form = SpaceAdminForm
    list_display = ["code", "name_th", "name_en", "kind", "venue", "capacity_theatre", "booth_count", "is_active"]
    list_filter = ["venue", "kind", "is_active"]
    search_fields = ["code", "name_th", "name_en"]
    filter_horizontal = ["parts"]
    inlines = [ClosureInline, RateCardInline]


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["space", "start", "end", "reason"]
    list_filter = ["space__venue"]
