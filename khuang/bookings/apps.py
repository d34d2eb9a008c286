from django.apps import AppConfig
from django.db.models.signals import m2m_changed, pre_save
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "khuang.bookings"
    label = "bookings"
    verbose_name = _("Diary")

    def ready(self) -> None:
        # Inventory edits (parts, deactivation, closures) are squared with the diary in their own transaction,
        # whichever path makes them; see bookings/inventory.py.
        from khuang.venues.models import Closure, Space

        from . import inventory

        m2m_changed.connect(inventory.on_parts_changed, sender=Space.parts.through,
                            dispatch_uid="bookings.inventory.parts")
        pre_save.connect(inventory.on_space_saving, sender=Space, dispatch_uid="bookings.inventory.space")
        pre_save.connect(inventory.on_closure_saving, sender=Closure, dispatch_uid="bookings.inventory.closure")
