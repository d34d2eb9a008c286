from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "khuang.finance"
    label = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        # The diary asks registered checks before confirming; finance supplies "a signed agreement first".
        from khuang.bookings.checks import register_confirm_check

        from .checks import agreement_signed_check

        register_confirm_check(agreement_signed_check)
