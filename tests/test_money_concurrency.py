"""Thirty clients issue invoices at the same moment through a live server: thirty consecutive numbers, no gap,
no duplicate, on SQLite and PostgreSQL. A second race records payments, whose receipts are numbered alike."""

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.utils import timezone

from khuang.accounts.models import ApiToken
from khuang.finance import services
from khuang.finance.models import Customer, Invoice, Receipt

pytestmark = pytest.mark.django_db(transaction=True)
CLIENTS = 30


def _race(url: str, token: str, requests: list[tuple[str, dict | None]]) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(len(requests))

    def post(item: tuple[str, dict | None]) -> tuple[int, dict]:
        path, body = item
        req = urllib.request.Request(f"{url}{path}", data=json.dumps(body or {}).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        barrier.wait()
        for attempt in range(5):
            try:
                with urllib.request.urlopen(req, timeout=120) as res:
                    return res.status, json.loads(res.read())
            except urllib.error.HTTPError as err:
                return err.code, json.loads(err.read() or b"{}")
            except (ConnectionResetError, urllib.error.URLError):
                # The test server's listen queue is short: a connection refused before the request was read
                # is tried again, as a browser would (a request that did reach the server is never repeated
                # silently: a second issue would answer 409 and fail the test).
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("the server refused the connection five times")

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(post, requests))


@pytest.fixture
def drafts(venue, create_user):
    finance = create_user("finance", role="finance_officer")
    customer = Customer.objects.create(name_th="ลูกค้าทดสอบ", customer_class="private")
    line = [services.LineDraft(description_th="ค่าบริการ", unit_price=Decimal("1000"))]
    invoices = [services.invoice_create(venue, customer, title=f"งาน {i}", lines=line, actor=finance)
                for i in range(CLIENTS)]
    return finance, invoices


def test_thirty_clients_issue_thirty_consecutive_numbers(live_server, drafts):
    finance, invoices = drafts
    token = ApiToken.issue(finance)[1]
    results = _race(live_server.url, token, [(f"/api/finance/invoices/{inv.pk}/issue", None) for inv in invoices])
    assert [code for code, _body in results] == [200] * CLIENTS, [b for c, b in results if c != 200][:3]
    numbers = sorted(body["number"] for _code, body in results)
    fy = results[0][1]["fiscal_year"]
    assert numbers == [f"INV-{fy}-{n:05d}" for n in range(1, CLIENTS + 1)]
    assert sorted(Invoice.objects.values_list("number", flat=True)) == numbers


def test_thirty_payments_at_once_get_consecutive_receipts(live_server, drafts):
    finance, invoices = drafts
    for inv in invoices:
        services.invoice_issue(inv, actor=finance)
    token = ApiToken.issue(finance)[1]
    body = {"amount": "100.00", "paid_on": timezone.localdate().isoformat(), "method": "transfer"}
    results = _race(live_server.url, token, [(f"/api/finance/invoices/{inv.pk}/payments", body) for inv in invoices])
    assert [code for code, _body in results] == [201] * CLIENTS
    numbers = sorted(Receipt.objects.values_list("number", flat=True))
    fy = Receipt.objects.first().fiscal_year
    assert numbers == [f"RC-{fy}-{n:05d}" for n in range(1, CLIENTS + 1)]


def test_issuing_one_invoice_twice_at_once_numbers_it_once(live_server, drafts):
    finance, invoices = drafts
    token = ApiToken.issue(finance)[1]
    results = _race(live_server.url, token, [(f"/api/finance/invoices/{invoices[0].pk}/issue", None)] * 10)
    assert sorted(code for code, _body in results) == [200] + [409] * 9
    assert Invoice.objects.exclude(number="").count() == 1
