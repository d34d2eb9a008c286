from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "khuang.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        # Equipment quantities are claimed and released inside the booking's own transaction.
        from khuang.bookings.hooks import register_claim_hook

        from .services import equipment_sync_booking

        register_claim_hook(equipment_sync_booking)
