"""Who may do what, for every money page and API operation: anonymous, executive, planner of the customer's
agency, planner of another agency, finance officer, center staff. Each case runs on the same documents and is
rolled back, so a state change by one person never decides another's answer."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from khuang.finance import services

pytestmark = pytest.mark.django_db
WHO = ("anonymous", "executive", "planner_own", "planner_other", "finance", "staff")


@pytest.fixture
def world(event_booking, create_booking, staff_user, finance_user, create_user, create_agency, customer_agency, hall):
    """A sent-and-accepted quotation with a signed agreement, an issued deposit invoice paid in part (with its
    receipt), a draft balance invoice, a draft quotation, and the six kinds of people."""
    q = services.quotation_send(services.quotation_from_bookings([event_booking], actor=staff_user), actor=staff_user)
    q = services.quotation_accept(q, actor=staff_user)
    agreement = services.agreement_create(q, actor=staff_user)
    deposit = services.invoice_issue(services.invoice_for_instalment(q.instalments.get(kind="deposit"),
                                                                     actor=finance_user), actor=finance_user)
    payment = services.payment_record(deposit, amount="1000", paid_on=timezone.localdate(), method="cash",
                                      actor=finance_user)
    balance = services.invoice_for_instalment(q.instalments.get(kind="balance"), actor=finance_user)
    other = services.Customer.objects.create(name_th="ลูกค้าอื่น", customer_class="private")
    draft_q = services.quotation_create(q.venue, q.customer, title="ร่าง", actor=staff_user,
                                        lines=[services.LineDraft(description_th="บริการ", unit_price=100)])
    people = {
        "anonymous": None, "executive": create_user("exec", role="executive"),
        "planner_own": create_user("own", role="agency_planner", agency=customer_agency),
        "planner_other": create_user("other", role="agency_planner", agency=create_agency("OTHER-AG")),
        "finance": finance_user, "staff": staff_user,
    }
    free = create_booking(space=hall, start=event_booking.start + timedelta(days=20), hours=8, status="hold",
                          customer_class="private", agency=customer_agency, title="งานถัดไป")
    third = create_booking(space=hall, start=event_booking.start + timedelta(days=40), hours=8, status="hold",
                           customer_class="private", agency=customer_agency, title="งานที่สาม")
    accepted_q = services.quotation_accept(services.quotation_send(
        services.quotation_from_bookings([third], actor=staff_user), actor=staff_user), actor=staff_user)
    return {"q": q, "draft_q": draft_q, "free_booking": free, "accepted_q": accepted_q,
            "accepted_deposit": accepted_q.instalments.get(kind="deposit"), "a": agreement, "deposit": deposit,
            "balance": balance,
            "receipt": payment.receipt, "customer": q.customer, "other_customer": other,
            "fy": deposit.fiscal_year, "people": people, "booking": event_booking}


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def _check(world, expected: dict, call) -> None:
    got = {}
    for who in WHO:
        with transaction.atomic():
            got[who] = call(world["people"][who])
            transaction.set_rollback(True)
    assert got == {w: expected[w] for w in WHO}


# anonymous, executive, planner_own, planner_other, finance, staff
SCOPED = dict(zip(WHO, (302, 404, 200, 404, 200, 200), strict=True))
EVERYONE = dict(zip(WHO, (302, 200, 200, 200, 200, 200), strict=True))
PREPARERS = dict(zip(WHO, (302, 403, 403, 403, 200, 200), strict=True))
REPORTS = dict(zip(WHO, (302, 200, 403, 403, 200, 200), strict=True))

PAGES = [
    ("/finance/", EVERYONE),
    ("/finance/quotations/", EVERYONE),
    ("/finance/invoices/", EVERYONE),
    ("/finance/quotations/new/", PREPARERS),
    ("/finance/quotations/{q}/", SCOPED),
    ("/finance/quotations/{q}/pdf/", SCOPED),
    ("/finance/agreements/{a}/", SCOPED),
    ("/finance/agreements/{a}/pdf/", SCOPED),
    ("/finance/invoices/{deposit}/", SCOPED),
    ("/finance/invoices/{deposit}/pdf/", SCOPED),
    ("/finance/receipts/{receipt}/pdf/", SCOPED),
    ("/finance/customers/{customer}/", SCOPED),
    ("/finance/receivables/", PREPARERS),
    ("/finance/revenue/", REPORTS),
    ("/finance/revenue/{fy}/", REPORTS),
    ("/finance/revenue/{fy}/receipts.xlsx", PREPARERS),
]


def _url(template: str, world) -> str:
    ids = {k: (v.pk if hasattr(v, "pk") else v) for k, v in world.items() if k != "people"}
    return template.format(**ids)


@pytest.mark.parametrize(("template", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_permissions(client, world, template, expected):
    _check(world, expected, lambda user: _as(client, user).get(_url(template, world)).status_code)


def test_planner_lists_show_own_agency_documents_only(client, world):
    own = _as(client, world["people"]["planner_own"]).get("/finance/quotations/").content.decode()
    other = _as(client, world["people"]["planner_other"]).get("/finance/quotations/").content.decode()
    assert world["q"].number in own and world["q"].number not in other
    other_invoices = client.get("/finance/invoices/").content.decode()
    assert world["deposit"].number not in other_invoices


# ------------------------------------------------------------------ page actions (POST)

# anonymous, executive, planner_own, planner_other, finance, staff
PREPARE_POST = dict(zip(WHO, (302, 404, 403, 404, 302, 302), strict=True))
FINANCE_POST = dict(zip(WHO, (302, 404, 403, 404, 302, 403), strict=True))
ACCEPT_POST = dict(zip(WHO, (302, 404, 302, 404, 302, 302), strict=True))

PAGE_POSTS = [
    ("/finance/quotations/new/", {"bookings": ["{free_booking}"]}, dict(zip(WHO, (302, 403, 403, 403, 302, 302),
                                                                          strict=True))),
    ("/finance/quotations/{draft_q}/send/", {}, PREPARE_POST),
    ("/finance/quotations/{draft_q}/line/", {"description_th": "เพิ่ม", "quantity": "1", "unit_price": "10"},
     PREPARE_POST),
    ("/finance/quotations/{draft_q}/discount/", {"reason": "ประจำ", "percent": "5"}, PREPARE_POST),
    ("/finance/quotations/{q}/revise/", {}, dict(zip(WHO, (302, 404, 403, 404, 409, 409), strict=True))),
    ("/finance/agreements/{a}/send/", {}, PREPARE_POST),
    ("/finance/invoices/{balance}/issue/", {}, FINANCE_POST),
    ("/finance/invoices/{deposit}/payment/", {"amount": "100", "paid_on": "{today}", "method": "cash"},
     FINANCE_POST),
    ("/finance/invoices/{deposit}/credit/", {"reason": "ผิด"}, FINANCE_POST),
    ("/finance/invoices/{balance}/void/", {"reason": "ซ้ำ"}, FINANCE_POST),
    ("/finance/quotations/{draft_q}/extra/", {"item": "projector", "quantity": "1"}, PREPARE_POST),
    ("/finance/quotations/{draft_q}/remove-line/", {"line": "{draft_line}"}, PREPARE_POST),
    ("/finance/quotations/{q}/reject/", {"reason": "แพง"}, dict(zip(WHO, (302, 404, 403, 404, 409, 409),
                                                                   strict=True))),
    ("/finance/quotations/{accepted_q}/agreement/", {}, PREPARE_POST),
    ("/finance/agreements/{a}/document/", {"document": "{doc}", "received": "on"}, PREPARE_POST),
    # Drafting an invoice is refused by role before the instalment is looked up, as over the API.
    ("/finance/instalments/{accepted_deposit}/invoice/", {}, dict(zip(WHO, (302, 403, 403, 403, 302, 403),
                                                                      strict=True))),
]


@pytest.mark.parametrize(("template", "data", "expected"), PAGE_POSTS, ids=[p[0] for p in PAGE_POSTS])
def test_page_action_permissions(client, world, template, data, expected):
    world = {**world, "today": timezone.localdate().isoformat(), "draft_line": world["draft_q"].lines.first(),
             "doc": world["a"].documents.first()}
    form = {k: [_url(x, world) for x in v] if isinstance(v, list) else _url(v, world) for k, v in data.items()}
    _check(world, expected, lambda user: _as(client, user).post(_url(template, world), form).status_code)


def test_sign_agreement_page_permissions(client, world):
    staff = world["people"]["staff"]
    expected = dict(zip(WHO, (302, 404, 403, 404, 302, 302), strict=True))

    def sign(user):
        services.agreement_send(world["a"], actor=staff)
        return _as(client, user).post(f"/finance/agreements/{world['a'].pk}/sign/", {
            "signed_by": "ผู้แทน", "signed_on": timezone.localdate().isoformat()}).status_code

    _check(world, expected, sign)


def test_revise_is_409_because_accepted_quotation_is_final(client, world):
    """(The revise case above: a sent-and-accepted quotation cannot be revised by anyone.)"""
    response = _as(client, world["people"]["staff"]).post(f"/finance/quotations/{world['q'].pk}/revise/")
    assert response.status_code == 409


def test_accept_by_planner_of_the_agency(client, world, staff_user):
    sent = services.quotation_send(world["draft_q"], actor=staff_user)
    world = {**world, "draft_q": sent}
    _check(world, ACCEPT_POST,
           lambda user: _as(client, user).post(f"/finance/quotations/{sent.pk}/accept/").status_code)


# ------------------------------------------------------------------ API

# anonymous, executive, planner_own, planner_other, finance, staff
API_SCOPED = dict(zip(WHO, (401, 404, 200, 404, 200, 200), strict=True))
API_LIST = dict(zip(WHO, (401, 200, 200, 200, 200, 200), strict=True))
API_PREPARE = dict(zip(WHO, (401, 404, 403, 404, 200, 200), strict=True))
API_PREPARE_CREATE = dict(zip(WHO, (401, 404, 403, 404, 201, 201), strict=True))
API_FINANCE = dict(zip(WHO, (401, 404, 403, 404, 200, 403), strict=True))
API_FINANCE_CREATE = dict(zip(WHO, (401, 404, 403, 404, 201, 403), strict=True))

API_CASES = [
    ("get", "/api/finance/quotations", None, API_LIST),
    ("get", "/api/finance/quotations/{q}", None, API_SCOPED),
    # Creating is refused by role (403) before the bookings or customer named are looked up.
    ("post", "/api/finance/quotations", {"bookings": ["{booking}"]},
     dict(zip(WHO, (401, 403, 403, 403, 201, 201), strict=True))),
    ("post", "/api/finance/quotations", {"customer": "{customer}", "title": "บูธ",
                                         "lines": [{"description_th": "ค่าบูธ", "unit_price": "3500"}]},
     dict(zip(WHO, (401, 403, 403, 403, 201, 201), strict=True))),
    ("post", "/api/finance/quotations/{draft_q}/lines", {"item": "projector", "quantity": "2"}, API_PREPARE_CREATE),
    ("delete", "/api/finance/quotations/{draft_q}/lines/{draft_line}", None, API_PREPARE),
    ("post", "/api/finance/quotations/{draft_q}/discounts", {"reason": "x", "amount": "10"}, API_PREPARE_CREATE),
    ("post", "/api/finance/quotations/{draft_q}/send", None, API_PREPARE),
    ("post", "/api/finance/quotations/{q}/accept", None, dict(zip(WHO, (401, 404, 409, 404, 409, 409),
                                                                 strict=True))),
    ("post", "/api/finance/quotations/{q}/reject", {"reason": "x"}, dict(zip(WHO, (401, 404, 403, 404, 409, 409),
                                                                            strict=True))),
    ("post", "/api/finance/quotations/{q}/revise", None, dict(zip(WHO, (401, 404, 403, 404, 409, 409),
                                                                 strict=True))),
    ("post", "/api/finance/quotations/{q}/agreement", None, dict(zip(WHO, (401, 404, 409, 404, 409, 409),
                                                                    strict=True))),
    ("get", "/api/finance/agreements/{a}", None, API_SCOPED),
    ("post", "/api/finance/agreements/{a}/send", None, API_PREPARE),
    ("post", "/api/finance/agreements/{a}/sign", {"signed_on": "{today}", "signed_by": "x"},
     dict(zip(WHO, (401, 404, 403, 404, 409, 409), strict=True))),
    ("post", "/api/finance/agreements/{a}/documents/{doc}", {"received_on": "{today}"}, API_PREPARE),
    ("get", "/api/finance/invoices", None, API_LIST),
    ("get", "/api/finance/invoices/{deposit}", None, API_SCOPED),
    ("post", "/api/finance/invoices", {"customer": "{other_customer}", "title": "บูธ",
                                       "lines": [{"description_th": "ค่าบูธ", "unit_price": "3500"}]},
     dict(zip(WHO, (401, 403, 403, 403, 201, 403), strict=True))),
    ("post", "/api/finance/invoices", {"instalment": "{accepted_deposit}"},
     dict(zip(WHO, (401, 403, 403, 403, 201, 403), strict=True))),
    ("patch", "/api/finance/invoices/{balance}", {"title": "ใหม่"}, API_FINANCE),
    ("patch", "/api/finance/invoices/{deposit}", {"title": "ใหม่"}, dict(zip(WHO, (401, 404, 403, 404, 409, 403),
                                                                          strict=True))),
    ("post", "/api/finance/invoices/{balance}/issue", None, API_FINANCE),
    ("post", "/api/finance/invoices/{balance}/void", {"reason": "x"}, API_FINANCE),
    ("post", "/api/finance/invoices/{deposit}/credit-notes", {"reason": "x", "amount": "100"}, API_FINANCE_CREATE),
    ("post", "/api/finance/invoices/{deposit}/payments", {"amount": "100", "paid_on": "{today}", "method": "cash"},
     API_FINANCE_CREATE),
    ("get", "/api/finance/customers/{customer}/balance", None, API_SCOPED),
    ("get", "/api/finance/receivables", None, dict(zip(WHO, (401, 403, 403, 403, 200, 200), strict=True))),
    ("get", "/api/finance/revenue?fiscal_year={fy}", None, dict(zip(WHO, (401, 200, 403, 403, 200, 200),
                                                                    strict=True))),
]


def _fill(value, world):
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}") and value[1:-1] in (
            "booking", "customer", "other_customer", "accepted_deposit"):
        return world[value[1:-1]].pk
    return _url(value, world) if isinstance(value, str) else value


@pytest.mark.parametrize(("method", "template", "body", "expected"), API_CASES,
                         ids=[f"{c[0]} {c[1]}" for c in API_CASES])
def test_api_permissions(api, world, method, template, body, expected):
    world = {**world, "today": timezone.localdate().isoformat(), "draft_line": world["draft_q"].lines.first(),
             "doc": world["a"].documents.first()}
    url, payload = _url(template, world), _fill(body, world)
    _check(world, expected, lambda user: api(method, url, payload, user=user).status_code)


def test_issued_invoice_edit_is_409_and_names_the_credit_note(api, world):
    response = api("patch", f"/api/finance/invoices/{world['deposit'].pk}", {"title": "x"},
                   user=world["people"]["finance"], lang="en")
    assert response.status_code == 409
    assert "credit note" in response.json()["detail"]
    th = api("patch", f"/api/finance/invoices/{world['deposit'].pk}", {"title": "x"},
             user=world["people"]["finance"], lang="th")
    assert "ใบลดหนี้" in th.json()["detail"]


def test_admin_shows_issued_invoice_read_only(client, world, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pass-1234")
    client.force_login(admin)
    url = f"/admin/finance/invoice/{world['deposit'].pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and world["deposit"].number in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    client.post(url, {"title": "changed"})
    world["deposit"].refresh_from_db()
    assert world["deposit"].title != "changed"


def test_bad_input_is_422_naming_the_field(api, world):
    finance = world["people"]["finance"]
    r = api("post", f"/api/finance/invoices/{world['deposit'].pk}/payments",
            {"amount": "-5", "paid_on": timezone.localdate().isoformat(), "method": "cash"}, user=finance)
    assert r.status_code == 422 and r.json()["field"] == "amount"
    r = api("post", f"/api/finance/invoices/{world['deposit'].pk}/payments",
            {"amount": "1", "paid_on": (timezone.localdate() + timedelta(days=3)).isoformat(), "method": "cash"},
            user=finance)
    assert r.status_code == 422 and r.json()["field"] == "paid_on"
    r = api("post", f"/api/finance/invoices/{world['deposit'].pk}/payments",
            {"amount": "1", "paid_on": timezone.localdate().isoformat(), "method": "barter"}, user=finance)
    assert r.status_code == 422 and r.json()["field"] == "method"


def test_huge_amounts_are_refused_not_crashing(api, world):
    r = api("post", f"/api/finance/quotations/{world['draft_q'].pk}/lines",
            {"description_th": "x", "unit_price": "999999999", "quantity": "100000"}, user=world["people"]["staff"])
    assert r.status_code == 422 and r.json()["field"] == "unit_price"


# ------------------------------------------------------------------ regressions found by the permission matrix

def test_agency_viewers_have_no_finance_pages_nor_lists(client, api, world, create_user, customer_agency):
    """Agency viewers (even of the customer's agency) and people without an agency have no finance pages: the lists
    refuse them as the home page does (403, not an empty 200), over the API too; a document stays hidden (404)."""
    viewers = [create_user("viewer-own", role="viewer", agency=customer_agency),
               create_user("viewer-none", role="viewer")]
    for viewer in viewers:
        for url in ("/finance/", "/finance/quotations/", "/finance/invoices/"):
            assert _as(client, viewer).get(url).status_code == 403, (viewer.username, url)
        for url in ("/api/finance/quotations", "/api/finance/invoices"):
            assert api("get", url, user=viewer).status_code == 403, (viewer.username, url)
        assert api("get", f"/api/finance/quotations/{world['q'].pk}", user=viewer).status_code == 404
        assert api("get", f"/api/finance/invoices/{world['deposit'].pk}", user=viewer).status_code == 404


def test_creating_is_refused_by_role_whatever_the_ids_named(api, world):
    """Drafting a quotation or an invoice is refused (403) by role before the customer is looked up, so the answer
    is the same for a customer that exists, one of another agency and one that does not."""
    people = world["people"]
    lines = [{"description_th": "ค่าบูธ", "unit_price": "3500"}]
    for customer in (world["customer"].pk, world["other_customer"].pk, 999_999):
        body = {"customer": customer, "title": "บูธ", "lines": lines}
        for who in ("executive", "planner_own", "planner_other"):
            assert api("post", "/api/finance/quotations", body, user=people[who]).status_code == 403, (who, customer)
            assert api("post", "/api/finance/invoices", body, user=people[who]).status_code == 403, (who, customer)
        assert api("post", "/api/finance/invoices", body, user=people["staff"]).status_code == 403
    missing = {"customer": 999_999, "title": "บูธ", "lines": lines}
    assert api("post", "/api/finance/quotations", missing, user=people["staff"]).status_code == 404
    assert api("post", "/api/finance/invoices", missing, user=people["finance"]).status_code == 404


def test_accepting_asks_the_role_table(world, staff_user, create_user, customer_agency, django_user_model):
    """Who may accept a sent quotation follows abilities, not role names: the agency's planner yes, its viewer no,
    a superuser yes whatever role field it carries."""
    sent = services.quotation_send(world["draft_q"], actor=staff_user)
    assert sent.can_accept(world["people"]["planner_own"])
    assert not sent.can_accept(world["people"]["planner_other"])
    assert not sent.can_accept(create_user("viewer-own", role="viewer", agency=customer_agency))
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pass-1234", role="viewer")
    assert sent.can_accept(root)
