"""Admin: equipment, people and event orders are read here; stock, repairs and assignments change through
the operations pages (their services keep the day counters and checks), so those fields are read-only."""

from django.contrib import admin

from .models import EquipmentItem, EventOrder, ItemRepair, StaffLeave, StaffMember


@admin.register(EquipmentItem)
class EquipmentItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name_th", "name_en", "category", "stock", "unit_th", "venue", "is_active")
    list_filter = ("venue", "category", "is_active")
    search_fields = ("code", "name_th", "name_en")

    def get_readonly_fields(self, request, obj=None):
        # The stock moves day counters: change it on the equipment page, where the service checks it.
        return ("stock",) if obj is not None else ()


@admin.register(ItemRepair)
class ItemRepairAdmin(admin.ModelAdmin):
    list_display = ("item", "quantity", "first_day", "last_day", "reason")
    readonly_fields = ("item", "quantity", "first_day", "last_day")

    def has_add_permission(self, request):
        return False


class LeaveInline(admin.TabularInline):
    model = StaffLeave
    extra = 0


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "skills", "phone", "venue", "is_active")
    list_filter = ("venue", "unit", "is_active")
    search_fields = ("name", "name_en", "unit")
    inlines = [LeaveInline]


@admin.register(EventOrder)
class EventOrderAdmin(admin.ModelAdmin):
    list_display = ("number", "booking", "layout", "capacity", "catering_headcount")
    search_fields = ("booking__title",)
    readonly_fields = ("booking",)

    def has_add_permission(self, request):
        return False
