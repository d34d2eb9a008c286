from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agency, ApiToken, User


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "province", "kind"]
    list_filter = ["kind", "province"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = [*BaseUserAdmin.fieldsets, (_("Khuang"), {"fields": ["agency", "role"]})]
    list_display = ["username", "email", "agency", "role", "is_staff"]
    list_filter = ["role", "agency", "is_staff"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "label", "created_at", "last_used_at"]
    readonly_fields = ["digest", "prefix", "last_used_at"]
