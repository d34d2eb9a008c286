from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "khuang.operations"
    label = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        # Equipment quantities are claimed and released inside the booking's own transaction.
        from django.db.models.signals import pre_delete

        from khuang.bookings.hooks import register_claim_hook

        from .models import EquipmentRequest
        from .services import equipment_request_deleted, equipment_sync_booking

        register_claim_hook(equipment_sync_booking)
        pre_delete.connect(equipment_request_deleted, sender=EquipmentRequest, dispatch_uid="equipment_request_deleted")
