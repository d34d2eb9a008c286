from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils import timezone

from khuang.core.errors import ConflictError

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


def _local(when: datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M")


class InventoryGuardMixin:
    """An inventory change that would break the diary (new parts making bookings overlap, deactivating a booked
    space, a closure over bookings) is refused by the diary in the same transaction; show why, listing the
    bookings in the way, instead of failing."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConflictError as exc:
            rows = [f"{c.space} {_local(c.start)} – {_local(c.end)}: {c.title} ({c.status}, #{c.id})"
                    for c in exc.extra.get("conflicts", [])]
            messages.error(request, " ".join([exc.message, *rows]))
            return HttpResponseRedirect(request.get_full_path())


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
class SpaceAdmin(InventoryGuardMixin, admin.ModelAdmin):
    form = SpaceAdminForm
    list_display = ["code", "name_th", "name_en", "kind", "venue", "capacity_theatre", "booth_count", "is_active"]
    list_filter = ["venue", "kind", "is_active"]
    search_fields = ["code", "name_th", "name_en"]
    filter_horizontal = ["parts"]
    inlines = [ClosureInline, RateCardInline]


@admin.register(Closure)
class ClosureAdmin(InventoryGuardMixin, admin.ModelAdmin):
    list_display = ["space", "start", "end", "reason"]
    list_filter = ["space__venue"]
