"""Admin of the annual plan: staff set each venue's planning settings (the same checks as the settings page)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import PlanningSettings
from .selectors import settings_in_words


@admin.register(PlanningSettings)
class PlanningSettingsAdmin(admin.ModelAdmin):
    list_display = ("venue", "max_events_per_day", "max_moveins_per_day", "week_bonus", "oversize_penalty")
    list_select_related = ("venue",)
    readonly_fields = ("in_words",)
    fields = ("venue", "max_events_per_day", "max_moveins_per_day", "week_bonus", "oversize_penalty", "in_words")

    @admin.display(description=_("in words"))
    def in_words(self, obj: PlanningSettings) -> str:
        return " ".join(settings_in_words(obj.objective, obj.limits)) if obj.pk else ""
