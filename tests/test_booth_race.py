"""Thirty clients race to buy the last free booth through a live server: one sale, twenty-nine refusals, on
SQLite and PostgreSQL; and racing holds queue in option order instead of failing."""

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from khuang.accounts.models import ApiToken

pytestmark = pytest.mark.django_db(transaction=True)
CLIENTS = 30


@pytest.fixture
def fair(create_space, create_agency, staff_user, soon):
    """A public fair on a hall with a 3-booth plan, prices set, and two booths already sold."""
    from khuang.bookings.services import BookingDraft, booking_create
    from khuang.exhibitions import layout, services

    hall = create_space("HALL-X", kind="hall", booth_count=3)
    agency = create_agency("ORG")
    booking = booking_create(BookingDraft(space=hall, title="Race fair", start=soon + timedelta(days=10),
                                          end=soon + timedelta(days=11), status="confirmed", agency=agency,
                                          is_public=True, event_type="trade_fair"), actor=staff_user)
    plan = services.floorplan_create(space=hall, name_th="ผัง", width_m=12, depth_m=6, actor=staff_user)
    doc = {"booths": [{"code": f"B{i}", "x": 3 * i, "y": 0, "width": 3, "depth": 3} for i in range(3)]}
    services.floorplan_save_layout(plan, layout.parse_json(doc, width=plan.width_m, depth=plan.depth_m,
                                                           grid=plan.grid_m), actor=staff_user)
    ex = services.exhibition_create(booking, plan, actor=staff_user)
    services.prices_set(ex, [{"price_class": "standard", "category": "sme", "price_thb": 5000}], actor=staff_user)
    apps = []
    for i in range(CLIENTS + 2):
        app = services.application_submit(ex, services.ApplicationDraft(
            company_name=f"Company {i}", contact_name="C", email=f"c{i}@example.org", phone="081 234 5678",
            province="Lampang", category="sme", product_category="ceramics"))
        apps.append(services.application_decide(app, "accept", actor=staff_user))
    services.claim_sell(ex, "B0", apps[0], actor=staff_user)
    services.claim_sell(ex, "B1", apps[1], actor=staff_user)
    return ex, apps[2:]


def _race(url: str, token: str, path: str, bodies: list[dict]) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(len(bodies))

    def post(body: dict) -> tuple[int, dict]:
        req = urllib.request.Request(f"{url}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Accept-Language": "en",
                                              "Authorization": f"Bearer {token}"})
        barrier.wait()
        for attempt in range(5):
            try:
                with urllib.request.urlopen(req, timeout=90) as res:
                    return res.status, json.loads(res.read())
            except urllib.error.HTTPError as err:
                return err.code, json.loads(err.read() or b"{}")
            except (ConnectionResetError, ConnectionRefusedError):
                # The test server's listen queue (Django's: 10) overflowed: the request never reached the
                # application, so sending it again is the client's ordinary retry, not a second attempt to buy.
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("the server never accepted the connection")

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(post, bodies))


def test_thirty_clients_buy_the_last_booth_exactly_one_sale(live_server, fair, staff_user):
    from khuang.exhibitions.models import BoothClaim

    ex, apps = fair
    token = ApiToken.issue(staff_user)[1]
    results = _race(live_server.url, token, f"/api/exhibitions/{ex.pk}/claims",
                    [{"booth": "B2", "application": a.pk, "action": "sell"} for a in apps])
    codes = sorted(code for code, _body in results)
    assert codes == [201] + [409] * (CLIENTS - 1), codes
    refusals = [body for code, body in results if code == 409]
    assert all("B2" in b["detail"] or "taken" in b["detail"] for b in refusals), refusals[:2]
    sold = BoothClaim.objects.filter(exhibition=ex, booth__code="B2", status="sold")
    assert sold.count() == 1 and BoothClaim.objects.filter(exhibition=ex, booth__code="B2").count() == 1
    winner = next(body for code, body in results if code == 201)
    assert sold.get().application_id == winner["application"]


def test_racing_holds_on_one_booth_queue_in_option_order(live_server, fair, staff_user):
    from khuang.exhibitions.models import BoothClaim

    ex, apps = fair
    token = ApiToken.issue(staff_user)[1]
    results = _race(live_server.url, token, f"/api/exhibitions/{ex.pk}/claims",
                    [{"booth": "B2", "application": a.pk, "action": "hold"} for a in apps[:10]])
    codes = [code for code, _body in results]
    assert codes == [201] * 10, codes  # a hold that meets a rival's first option queues behind it
    holds = BoothClaim.objects.filter(exhibition=ex, booth__code="B2", status="hold")
    assert holds.filter(active=True).count() == 1
    assert holds.get(active=True).option_rank == 1
    assert holds.count() == 10 and all(h.option_rank >= 2 for h in holds.filter(active=False))
