"""Admin: floor plans with their booths and features, exhibitions with prices; claims and applications are
listed read-only (they change only through the services, which keep the audit trail and the booth rules)."""

from django.contrib import admin

from .models import (
    AssignmentRun,
    Booth,
    BoothClaim,
    BoothPrice,
    Exhibition,
    ExhibitorApplication,
    FloorPlan,
    PlanFeature,
)


class BoothInline(admin.TabularInline):
    model = Booth
    extra = 0
    fields = ("code", "x", "y", "width", "depth", "kind", "power", "water", "zone", "price_class", "prime")


class FeatureInline(admin.TabularInline):
    model = PlanFeature
    extra = 0


@admin.register(FloorPlan)
class FloorPlanAdmin(admin.ModelAdmin):
    list_display = ("name_th", "space", "width_m", "depth_m", "is_active")
    list_filter = ("space__venue", "is_active")
    inlines = [BoothInline, FeatureInline]


class PriceInline(admin.TabularInline):
    model = BoothPrice
    extra = 0


@admin.register(Exhibition)
class ExhibitionAdmin(admin.ModelAdmin):
    list_display = ("booking", "floor_plan", "applications_open", "public_map")
    raw_id_fields = ("booking",)
    inlines = [PriceInline]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExhibitorApplication)
class ApplicationAdmin(ReadOnly):
    list_display = ("company_name", "exhibition", "category", "status", "priority_points", "sales_thb")
    list_filter = ("status", "category", "product_category")
    search_fields = ("company_name", "company_name_en", "email")
    exclude = ("token",)


@admin.register(BoothClaim)
class ClaimAdmin(ReadOnly):
    list_display = ("booth", "exhibition", "application", "status", "active", "option_rank", "price_thb")
    list_filter = ("status", "active")


@admin.register(AssignmentRun)
class RunAdmin(ReadOnly):
    list_display = ("exhibition", "status", "objective", "bound", "gap", "created_at")
