"""Factories for operations tests: equipment items, staff members, event orders."""

from datetime import timedelta

import pytest


@pytest.fixture
def create_item(db, venue):
    from khuang.operations.models import EquipmentItem

    def make(code: str = "CHAIR", stock: int = 10, **kw) -> EquipmentItem:
        kw.setdefault("venue", venue)
        kw.setdefault("name_th", f"อุปกรณ์ {code}")
        kw.setdefault("name_en", f"Item {code}")
        kw.setdefault("category", "seating")
        return EquipmentItem.objects.create(code=code, stock=stock, **kw)

    return make


@pytest.fixture
def rooms(create_space):
    """Three separate rooms, so bookings on the same days do not collide over space."""
    return [create_space(f"ROOM-{i}") for i in range(1, 4)]


@pytest.fixture
def staff(staff_user):
    return staff_user


@pytest.fixture
def ask(staff_user):
    """ask(booking, item, n): request n units as center staff."""
    from khuang.operations.services import equipment_request_set

    def do(booking, item, quantity, actor=None):
        return equipment_request_set(booking, item, quantity, actor=actor or staff_user)

    return do


@pytest.fixture
def create_member(db, venue):
    from khuang.operations.models import StaffMember

    def make(name: str = "สมชาย ใจดี", skills=("setup_crew",), **kw) -> StaffMember:
        kw.setdefault("venue", venue)
        kw.setdefault("unit", "งานอาคารสถานที่")
        return StaffMember.objects.create(name=name, skills=list(skills), **kw)

    return make


@pytest.fixture
def create_event_order(create_booking, staff_user):
    from khuang.operations.services import event_order_create

    def make(booking=None, **kw):
        booking = booking or create_booking(**kw)
        return event_order_create(booking, actor=staff_user)

    return make


@pytest.fixture
def days_after(soon):
    def at(n: int, hour: int = 9):
        return (soon + timedelta(days=n)).replace(hour=hour)

    return at
