"""Personnel in the ministry exports: the demo's people and last year's assignments in ministry.xlsx and the PDF."""

import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    from khuang.accounts import demo as accounts
    from khuang.operations import demo as operations
    from khuang.reports import demo as reports
    from khuang.venues import demo as venues

    accounts.load()
    venues.load()
    reports.load()
    operations.load()


def _counts() -> list[int]:
    from khuang.operations import models as m

    return [model.objects.count() for model in (m.EquipmentItem, m.ItemRepair, m.StaffMember, m.EventOrder,
                                                 m.Assignment, m.EquipmentRequest, m.EventOrderRevision, m.ItemDay)]


def test_demo_loads_twice_to_the_same_state(demo):
    from khuang.operations import demo as operations

    before = _counts()
    assert before[0] == 10 and before[2] == 16 and before[3] >= 10
    operations.load()
    assert _counts() == before


def test_personnel_sheet_and_pdf_section(demo, client, staff_user):
    from pypdf import PdfReader

    from khuang.operations.models import Assignment, EquipmentItem, StaffMember

    assert StaffMember.objects.count() == 16 and EquipmentItem.objects.count() == 10
    hours = sum(a.hours for a in Assignment.objects.filter(event_order__booking__status="completed"))
    client.force_login(staff_user)
    wb = load_workbook(io.BytesIO(client.get("/reports/2569/ministry.xlsx", HTTP_ACCEPT_LANGUAGE="th").content))
    sheet = wb[wb.sheetnames[-1]]
    assert sheet.title == "บุคลากร"
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["จำนวนบุคลากร"][0] == 16
    assert rows["หน่วยงาน: งานอาคารสถานที่"][0] == 7
    assert rows["ทักษะ: ทีมจัดตั้งสถานที่"][0] == 7
    assert rows["รวมทั้งปีงบประมาณ"][0] == pytest.approx(hours) and rows["รวมทั้งปีงบประมาณ"][1] > 0
    pdf = client.get("/reports/2569/ministry.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "บุคลากร" in text and "งานอาคารสถานที่" in text


def test_hours_per_person_only_for_the_centers_staff(demo, client, staff_user, create_user):
    """Executives and finance officers read the personnel totals in the ministry workbook, not each person's
    hours and overtime: those are the center's staff's business."""
    def people_rows(user) -> tuple[list, float]:
        client.force_login(user)
        response = client.get("/reports/2569/ministry.xlsx", HTTP_ACCEPT_LANGUAGE="th")
        assert response.status_code == 200
        wb = load_workbook(io.BytesIO(response.content))
        rows = list(wb[wb.sheetnames[-1]].iter_rows(min_row=2, values_only=True))
        return ([r for r in rows if str(r[0]).startswith("ผู้ปฏิบัติงาน: ")],
                next(r[1] for r in rows if r[0] == "รวมทั้งปีงบประมาณ"))

    named, total = people_rows(staff_user)
    assert named and "สมชาย ใจดี" in str(named) and total > 0
    for role in ("executive", "finance_officer"):
        rows, same_total = people_rows(create_user(f"personnel-{role}", role=role))
        assert rows == [] and same_total == total
