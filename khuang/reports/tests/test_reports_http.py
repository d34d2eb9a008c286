"""The KPI API, the dashboard and the ministry exports, as people and scripts see them."""

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook


@pytest.fixture
def demo(db):
    from khuang.accounts import demo as accounts
    from khuang.reports import demo as reports
    from khuang.venues import demo as venues

    accounts.load()
    venues.load()
    reports.load()


def test_api_kpis(demo, api, staff_user):
    res = api("get", "/api/kpis?fiscal_year=2569&venue=DIPROM-MICE", user=staff_user)
    assert res.status_code == 200, res.content
    body = res.json()
    assert body["fiscal_year"] == 2569 and not body["empty"]
    assert body["activities"]["events"] == 16
    assert body["utilization"]["pct"] > 0
    tile = next(t for t in body["tiles"] if t["key"] == "events")
    assert tile["target"] == 20 and tile["progress_pct"] == 80.0
    # The CE end year is accepted too, and a space narrows the figures.
    res = api("get", "/api/kpis?fiscal_year=2026&venue=DIPROM-MICE&space=HALL-A", user=staff_user)
    assert res.json()["fiscal_year"] == 2569 and res.json()["space"]["code"] == "HALL-A"


def test_api_empty_year_and_bad_input(demo, api, staff_user, create_user):
    body = api("get", "/api/kpis?fiscal_year=2590", user=staff_user).json()
    assert body["empty"] is True and "2590" in body["message"]
    assert api("get", "/api/kpis?fiscal_year=2569&venue=NOPE", user=staff_user).status_code == 404
    assert api("get", "/api/kpis?fiscal_year=2569&space=NOPE", user=staff_user).status_code == 404
    res = api("get", "/api/kpis?fiscal_year=25x9", user=staff_user)
    assert res.status_code == 422 and res.json()["field"] == "fiscal_year"
    assert api("get", "/api/kpis?fiscal_year=99999", user=staff_user).status_code == 422
    assert api("get", "/api/kpis", user=staff_user).status_code == 422
    assert api("get", "/api/kpis?fiscal_year=2569").status_code == 401
    assert api("get", "/api/kpis?fiscal_year=2569", user=create_user()).status_code == 403


def test_dashboard_page(demo, client, staff_user):
    client.force_login(staff_user)
    res = client.get("/reports/2569/?lang=th")
    assert res.status_code == 200
    html = res.content.decode()
    assert "2569" in html and "data:image/png;base64," in html and "HALL-ABC" in html
    assert "ต.ค. 68" in html  # fiscal months in Buddhist-Era years
    assert client.get("/reports/").status_code == 200
    empty = client.get("/reports/2590/")
    assert empty.status_code == 200 and "2590" in empty.content.decode()
    assert client.get("/reports/abc/").status_code == 422
    assert client.get("/reports/2569/?venue=NOPE").status_code == 404


def test_dashboard_needs_staff_or_viewer(demo, client, create_user):
    assert client.get("/reports/2569/").status_code == 302  # to the login page
    client.force_login(create_user())
    assert client.get("/reports/2569/").status_code == 403


def test_ministry_xlsx(demo, client, staff_user):
    client.force_login(staff_user)
    res = client.get("/reports/2569/ministry.xlsx")
    assert res.status_code == 200
    wb = load_workbook(io.BytesIO(res.content))
    assert len(wb.sheetnames) == 11  # … revenue, community income, booth revenue, and the personnel sheet last
    assert "รายได้" in wb.sheetnames  # booked and received revenue by month (finance ledger)
    assert "รายได้ชุมชน" in wb.sheetnames and "รายได้ค่าบูธ" in wb.sheetnames  # fairs (exhibitions)
    summary = wb[wb.sheetnames[0]]
    assert summary["B2"].value == 2569
    projects = wb["โครงการ"]
    assert any("ชุมชน" in str(c.value) for c in projects["A"])
    assert client.get("/reports/2590/ministry.xlsx").status_code == 200
    assert client.get("/reports/20x/ministry.xlsx").status_code == 422


def test_ministry_pdf_is_thai(demo, client, staff_user, tmp_path):
    from pypdf import PdfReader

    client.force_login(staff_user)
    res = client.get("/reports/2569/ministry.pdf?lang=en")
    assert res.status_code == 200 and res.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(res.content)).pages)
    # The font draws SARA AM (ำ) as NIKHAHIT + SARA AA; text extraction keeps only the SARA AA.
    text = text.replace("\u0e4d", "")
    for heading in ("รายงานผลการดำเนินงาน ปีงบประมาณ 2569", "ตัวชี้วัดผลการดำเนินงาน", "อัตราการใช้พื้นที่",
                    "กิจกรรมรายเดือนตามประเภท", "งบประมาณ", "โครงการ"):
        assert heading.replace("ำ", "า") in text, heading
    assert "1 ตุลาคม 2568" in text  # the period in Buddhist-Era dates
    (tmp_path / "report.pdf").write_bytes(res.content)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(tmp_path / "report.pdf"),
                        str(tmp_path / "page")], check=True)
        assert list(tmp_path.glob("page*.png"))


def test_demo_is_idempotent(demo):
    from khuang.bookings.models import Booking
    from khuang.reports import demo as reports
    from khuang.reports.models import BudgetLine, EventActual, KpiTarget, Project

    counts = [m.objects.count() for m in (Booking, EventActual, KpiTarget, BudgetLine, Project)]
    reports.load()
    assert [m.objects.count() for m in (Booking, EventActual, KpiTarget, BudgetLine, Project)] == counts
    assert counts[1] == 16


def test_finding_9_ministry_xlsx_writes_names_as_text_never_formulas(demo, client, staff_user):
    from khuang.accounts.models import Agency
    from khuang.bookings.models import Booking
    from khuang.reports.models import Project

    booking = Booking.objects.filter(agency__isnull=False, status="completed").first() or Booking.objects.filter(
        agency__isnull=False).first()
    Agency.objects.filter(pk=booking.agency_id).update(name_th='=HYPERLINK("http://evil.example","x")')
    Project.objects.filter(pk=Project.objects.first().pk).update(name_th="@SUM(1+1)")
    client.force_login(staff_user)
    wb = load_workbook(io.BytesIO(client.get("/reports/2569/ministry.xlsx").content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in {c.value for c in cells}
    assert "'@SUM(1+1)" in {c.value for c in cells}
    assert not [c.coordinate for c in cells if c.data_type == "f" or c.value.startswith(("=", "+", "@"))]
