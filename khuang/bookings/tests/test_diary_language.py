"""English stays English in the diary: the booking dialog (an htmx fragment) after ?lang=en, and a refusal
naming the blocker by its English title."""

import pytest

from khuang.bookings.tests.test_diary_pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(create_space):
    return create_space("MR-1", name_th="ห้องประชุมหนึ่ง", name_en="Meeting Room One")


def test_booking_dialog_fragment_and_blocker_in_english(client, staff_user, room, create_booking, soon):
    create_booking(room, soon, title="ประชุมคณะกรรมการ", title_en="Board meeting", status="confirmed")
    client.force_login(staff_user)
    client.get("/diary/?lang=en")
    day = soon.date()
    fragment = client.get(f"/diary/new/?space=MR-1&day={day.isoformat()}", headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "New booking" in html and "Meeting Room One" in html and "<html" not in html
    refused = client.post("/diary/new/", form_data(room, day, status="confirmed"), headers={"HX-Request": "true"})
    html = refused.content.decode()
    assert refused.status_code == 409
    assert "Board meeting" in html and "ประชุมคณะกรรมการ" not in html
    client.get("/diary/?lang=th")
    html = client.post("/diary/new/", form_data(room, day, status="confirmed")).content.decode()
    assert "ประชุมคณะกรรมการ" in html and "Board meeting" not in html
