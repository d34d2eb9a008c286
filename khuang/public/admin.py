"""Staff edit the Lanna tourism data, event pages and packages here."""

from django.contrib import admin

from .models import Attraction, EventPage, Festival, FestivalDate, Registration, TourPackage


@admin.register(Attraction)
class AttractionAdmin(admin.ModelAdmin):
    list_display = ("key", "name_th", "name_en", "province", "district", "approx", "is_active")
    list_filter = ("province", "approx", "is_active")
    search_fields = ("key", "name_th", "name_en")


class FestivalDateInline(admin.TabularInline):
    model = FestivalDate
    extra = 1


@admin.register(Festival)
class FestivalAdmin(admin.ModelAdmin):
    list_display = ("key", "name_th", "name_en", "kind", "province", "approx")
    list_filter = ("kind", "approx")
    search_fields = ("key", "name_th", "name_en")
    inlines = [FestivalDateInline]


@admin.register(TourPackage)
class TourPackageAdmin(admin.ModelAdmin):
    list_display = ("title_th", "title_en", "kind", "duration_hours", "price_thb")
    list_filter = ("kind",)
    filter_horizontal = ("attractions",)


@admin.register(EventPage)
class EventPageAdmin(admin.ModelAdmin):
    list_display = ("booking", "capacity", "waiting_list", "registration_open")
    raw_id_fields = ("booking",)
    filter_horizontal = ("packages",)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "email", "event", "status", "checked_in_at")
    list_filter = ("status",)
    search_fields = ("code", "name", "email")
    raw_id_fields = ("event",)
