from django import forms
from django.contrib import admin, messages
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


class ApiTokenAddForm(forms.ModelForm):
    """Adding a token asks only whose it is, a label and an optional expiry; the secret is generated."""

    class Meta:
        model = ApiToken
        fields = ["user", "label", "expires_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "label", "created_at", "last_used_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["prefix", "user__username", "label"]
    fields = ["user", "label", "expires_at", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ApiTokenAddForm.Meta.fields if obj is None else super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # The owner of an existing token never changes: a token is revoked and a new one issued instead.
        return [] if obj is None else [*self.readonly_fields, "user"]

    def save_model(self, request, obj: ApiToken, form, change: bool) -> None:
        raw = None
        if not change:
            raw = ApiToken.new_secret()
            obj.set_secret(raw)
        super().save_model(request, obj, form, change)
        if raw is not None:
            messages.warning(request, _("The new token (shown once, copy it now): %(token)s") % {"token": raw})
