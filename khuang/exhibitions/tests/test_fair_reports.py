"""Fairs in the reports: community sales feed the supplementary-income project (by fair and by province) and
booth fees appear as booth revenue, on the dashboard and in the ministry workbook and PDF."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from khuang.core.thaidates import fiscal_year
from khuang.exhibitions import billing, services
from khuang.finance import services as finance
from khuang.reports import selectors as reports
from khuang.reports.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_fair(exhibition, apply_to, staff_user):
    """The fair has begun; two community exhibitors (Lampang, Lamphun) and an SME recorded sales."""
    lampang = apply_to(exhibition, "Ban Sala", category="community", province="Lampang")
    lamphun = apply_to(exhibition, "Lamphun silk", category="community", province="Lamphun")
    sme = apply_to(exhibition, "SME", category="sme")
    type(exhibition.booking).objects.filter(pk=exhibition.booking_id).update(start=timezone.now() - timedelta(hours=2))
    services.sales_record(lampang, 30000, by_exhibitor=True)
    services.sales_record(lamphun, 12500, actor=staff_user)
    return exhibition, lampang, lamphun, sme


def test_community_sales_feed_the_project_actual_by_fair_and_province(past_fair, venue):
    exhibition = past_fair[0]
    fy = fiscal_year(timezone.localdate())
    Project.objects.create(venue=venue, fiscal_year=fy, name_th="รายได้เสริมชุมชน", indicator_th="รายได้", unit="THB",
                           target=100000, actual=20000, feed=Project.Feed.COMMUNITY_FAIR_SALES)
    Project.objects.create(venue=venue, fiscal_year=fy, name_th="อื่น", indicator_th="x", target=10, actual=5)
    report = reports.kpi_report(fy, venue.code, compare=False)
    income = report["community_income"]
    assert income["total_thb"] == 42500
    assert [(f["exhibition"], f["total_thb"]) for f in income["by_fair"]] == [(exhibition.pk, 42500)]
    assert {p["province"]: p["total_thb"] for p in income["by_province"]} == {"ลำปาง": 30000, "ลำพูน": 12500}
    fed, other = report["projects"]
    assert (fed["actual"], fed["by_hand"], fed["from_fairs"]) == (62500, 20000, 42500)
    assert other["actual"] == 5 and not other["fed_by_fairs"]


def test_booth_revenue_quoted_invoiced_received(exhibition, apply_to, staff_user, create_user, venue):
    finance_officer = create_user("fin", role="finance_officer")
    app = apply_to(exhibition, "Buyer", category="corporate")
    services.claim_sell(exhibition, "A11", app, actor=staff_user)  # corner, corporate: 16,000
    billing.booth_fees_bill(app, actor=staff_user)
    app.refresh_from_db()
    deposit = billing.booth_invoice_issue(app, "deposit", actor=finance_officer)
    finance.payment_record(deposit, amount=deposit.total, paid_on=date.today(), method="transfer",
                           actor=finance_officer)
    fy = fiscal_year(timezone.localtime(exhibition.booking.start).date())
    booths = reports.kpi_report(fy, venue.code, compare=False)["booths"]
    assert (booths["booths"], booths["sold"]) == (8, 1)
    assert booths["quoted_thb"] == 16000 and booths["invoiced_thb"] == 8000 and booths["received_thb"] == 8000


def test_the_dashboard_and_ministry_exports_show_fairs(past_fair, staff_user, client, venue):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    fy = fiscal_year(timezone.localdate())
    client.force_login(staff_user)
    page = client.get(f"/reports/{fy}/?lang=th").content.decode()
    assert "รายได้ชุมชนจากงานแสดงสินค้า" in page and "42,500.00" in page
    workbook = load_workbook(io.BytesIO(client.get(f"/reports/{fy}/ministry.xlsx?lang=en").content))
    rows = list(workbook["Community income"].values)
    assert rows[-1][-1] == Decimal("42500") or rows[-1][-1] == 42500
    assert any(r[0] == "Province: Lampang" for r in rows)
    assert "Booth revenue" in workbook.sheetnames
    pdf = client.get(f"/reports/{fy}/ministry.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "พูน" in text and "42,500.00" in text  # (text extraction splits the Thai vowel sara am)
