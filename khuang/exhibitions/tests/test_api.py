"""Exhibition API: bad input is a clear 4xx naming the field, in the caller's language, and changes nothing."""

import json

import pytest

from khuang.exhibitions.models import Booth, BoothClaim

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("booths", "field"), [
    ([{"code": "A1", "x": {"nested": 1}, "y": 0, "width": 3, "depth": 3}], "booths[0].x"),
    ([{"code": "A1", "x": "1e999", "y": 0, "width": 3, "depth": 3}], "booths[0].x"),
    ([{"code": "A1", "x": 0, "y": 0, "width": 3, "depth": 3, "power": "maybe"}], "booths[0].power"),
    ([{"code": None, "x": 0, "y": 0, "width": 3, "depth": 3}], "booths[0].code"),
    (["not an object"], "booths.0"),  # refused by the schema already
])
def test_bad_layouts_are_422_naming_the_item(api, plan, staff_user, booths, field):
    before = Booth.objects.filter(plan=plan).count()
    res = api("put", f"/api/floorplans/{plan.pk}/layout", {"booths": booths, "parts": plan.parts_layout},
              user=staff_user)
    assert res.status_code == 422, res.content
    assert res.json()["field"] == field
    assert Booth.objects.filter(plan=plan).count() == before


def test_refusals_speak_the_callers_language(api, exhibition, apply_to, staff_user):
    app = apply_to(exhibition, "X")
    api("post", f"/api/exhibitions/{exhibition.pk}/claims", {"booth": "A11", "application": app.pk,
                                                            "action": "sell"}, user=staff_user)
    other = apply_to(exhibition, "Y")
    body = {"booth": "A11", "application": other.pk, "action": "sell"}
    en = api("post", f"/api/exhibitions/{exhibition.pk}/claims", body, user=staff_user, lang="en")
    th = api("post", f"/api/exhibitions/{exhibition.pk}/claims", body, user=staff_user, lang="th")
    assert en.status_code == th.status_code == 409
    assert en.json()["detail"] == "Booth A11 is already sold."
    assert th.json()["detail"] == "บูธ A11 ถูกขายแล้ว" and th.json()["field"] == "booth"
    missing = api("post", f"/api/exhibitions/{exhibition.pk}/claims",
                  {"booth": "ZZ9", "application": other.pk, "action": "sell"}, user=staff_user)
    assert missing.status_code == 404 and missing.json()["field"] == "booth"
    assert BoothClaim.objects.filter(exhibition=exhibition).count() == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"booths_wanted": "two"}, "booths_wanted"),
    ({"category": "ngo"}, "category"),
    ({"email": "nobody"}, "email"),
    ({"unexpected": 1}, "unexpected"),
    ({"province": "Atlantis"}, "province"),
])
def test_public_applications_validate_every_field(client, exhibition, change, field):
    body = {"company_name": "C", "contact_name": "N", "email": "c@example.org", "phone": "081 234 5678",
            "province": "Lampang", "category": "sme", "product_category": "food", **change}
    res = client.post(f"/api/exhibitions/{exhibition.pk}/applications", data=json.dumps(body),
                      content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert res.status_code == 422, res.content
    assert res.json()["field"] == field
    assert not exhibition.applications.exists()


def test_an_application_answers_with_the_private_page(client, exhibition):
    body = {"company_name": "บ้านเซรามิก", "contact_name": "N", "email": "c@example.org", "phone": "081 234 5678",
            "province": "Lamphun", "category": "community", "otop_stars": 3, "product_category": "ceramics",
            "booths_wanted": 2, "booth_type": "corner", "preferred_zone": "B"}
    res = client.post(f"/api/exhibitions/{exhibition.pk}/applications", data=json.dumps(body),
                      content_type="application/json")
    assert res.status_code == 201
    out = res.json()
    assert out["status"] == "submitted" and out["page"].endswith(f"/exhibitor/{out['token']}/")
    page = client.get(f"/api/exhibitor/{out['token']}").json()
    assert page["company_name"] == "บ้านเซรามิก" and page["booths"] == [] and page["bill"] is None


def test_english_pages_stay_english(client, exhibition, staff_user):
    client.force_login(staff_user)
    page = client.get(f"/expo/{exhibition.pk}/?lang=en").content.decode()
    assert "Booth desk" in page and "โต๊ะจัดการบูธ" not in page
    public = client.get(f"/events/{exhibition.booking_id}/apply/?lang=en").content.decode()
    assert "Apply for a booth" in public and "Lampang" in public


def test_the_event_page_shows_the_exhibitor_map_and_the_form(client, exhibition, apply_to, staff_user):
    page = client.get(f"/events/{exhibition.booking_id}/?lang=en").content.decode()
    assert "Apply for a booth" in page and "svg" not in page.split('id="exhibitors"')[1].split("</section>")[0]
    app = apply_to(exhibition, "Listed")
    from khuang.exhibitions import services

    services.claim_reserve(exhibition, "B11", app, actor=staff_user)
    hidden = apply_to(exhibition, "Unlisted", public_listing=False)
    services.claim_reserve(exhibition, "B12", hidden, actor=staff_user)
    block = client.get(f"/events/{exhibition.booking_id}/?lang=en").content.decode().split('id="exhibitors"')[1]
    block = block.split("</section>")[0]
    assert f'#exhibitor-{app.pk}' in block and "Listed" in block
    assert "Unlisted" not in block and f"#exhibitor-{hidden.pk}" not in block
