"""Admin for actuals, targets, budget lines and projects (center staff keep them)."""

from django.contrib import admin

from .models import BudgetLine, EventActual, KpiTarget, Project


@admin.register(EventActual)
class EventActualAdmin(admin.ModelAdmin):
    list_display = ("booking", "attendance", "revenue_thb", "discount_pct", "satisfaction")
    raw_id_fields = ("booking",)
    readonly_fields = ("recorded_by",)


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    list_display = ("venue", "fiscal_year", "kpi", "target")
    list_filter = ("venue", "fiscal_year", "kpi")


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ("venue", "fiscal_year", "kind", "category_th", "planned_thb", "spent_thb")
    list_filter = ("venue", "fiscal_year", "kind")


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("venue", "fiscal_year", "name_th", "target", "actual", "unit")
    list_filter = ("venue", "fiscal_year")
