"""Importing proposals from Excel, CSV and the exchange format: all rows or none, every bad row named."""

import json
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from khuang.planning.imports import COLUMNS, template_workbook
from khuang.planning.models import Proposal

from .conftest import FY

pytestmark = pytest.mark.django_db

TH_HEADERS = [th for _, th, _, _ in COLUMNS]
EN_HEADERS = [en for _, _, en, _ in COLUMNS]


def _row(**over):
    base = {"ref": "P-001", "agency": "LPG-IND", "title_th": "งานเซรามิก", "title_en": "Ceramics fair",
            "activity_type": "exhibition", "days": 3, "setup_days": 1, "teardown_days": 1, "attendees": 500,
            "layout": "booths", "allowed_spaces": "HALL-A HALL-AB", "earliest": "2027-01-10",
            "latest_end": "2027-03-31", "preferred_months": "1 2", "fixed_start": "", "priority": 4,
            "is_public": "yes", "notes": ""}
    base.update(over)
    return [base[field] for field, *_ in COLUMNS]


def _xlsx(headers, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _csv(headers, rows) -> bytes:
    import csv
    import io

    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(headers)
    w.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _upload(client_api_user, client, name, content, fy=FY):
    from khuang.accounts.models import ApiToken

    token = ApiToken.issue(client_api_user)[1]
    return client.post("/api/proposals/import", {"fiscal_year": fy, "file": SimpleUploadedFile(name, content)},
                       HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")


def test_the_downloadable_template_imports_as_is(client, halls, agencies, staff_user):
    """A planner who fills in the template's example row gets exactly that proposal."""
    r = _upload(staff_user, client, "template.xlsx", template_workbook())
    assert r.status_code == 201, r.content
    p = Proposal.objects.get()
    assert (p.ref, p.agency.code, p.days, p.setup_days, p.status) == ("P-001", "LPG-IND", 3, 1, "submitted")
    assert sorted(p.allowed_spaces.values_list("code", flat=True)) == ["HALL-A", "HALL-AB"]
    assert p.preferred_months == [11, 12, 1, 2] and p.is_public


@pytest.mark.parametrize("headers", [TH_HEADERS, EN_HEADERS], ids=["thai", "english"])
def test_excel_with_thai_or_english_headers(client, halls, agencies, staff_user, headers):
    content = _xlsx(headers, [_row(), _row(ref="P-002", days=1, allowed_spaces="", layout="")])
    r = _upload(staff_user, client, "plan.xlsx", content)
    assert r.status_code == 201, r.content
    assert sorted(Proposal.objects.values_list("ref", "days")) == [("P-001", 3), ("P-002", 1)]


def test_csv_import(client, halls, agencies, staff_user):
    r = _upload(staff_user, client, "plan.csv", _csv(EN_HEADERS, [_row(), _row(ref="P-002")]))
    assert r.status_code == 201, r.content
    assert Proposal.objects.count() == 2


def test_one_bad_row_imports_nothing_and_every_bad_row_and_field_is_named(client, halls, agencies, staff_user):
    rows = [
        _row(),
        _row(ref="P-002", days=0),                                   # row 3
        _row(ref="P-003", allowed_spaces="HALL-Z", earliest="soon"),  # row 4: two problems
        _row(ref="P-001"),                                            # row 5: repeats row 2
        _row(ref="P-005", agency="NOBODY", latest_end="2027-01-10"),  # row 6: agency; window too short
    ]
    r = _upload(staff_user, client, "plan.xlsx", _xlsx(TH_HEADERS, rows))
    assert r.status_code == 422, r.content
    found = {(e["row"], e["field"]) for e in r.json()["errors"]}
    assert {(3, "days"), (4, "allowed_spaces"), (4, "earliest"), (5, "ref"), (6, "agency")} <= found
    assert all(e["message"] for e in r.json()["errors"])
    assert not Proposal.objects.exists()


def test_a_planner_imports_only_their_own_agency(client, halls, agencies, planner_lpn):
    r = _upload(planner_lpn, client, "plan.csv", _csv(EN_HEADERS, [_row()]))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "agency"
    assert not Proposal.objects.exists()


def test_reimport_updates_the_same_reference(client, halls, agencies, staff_user):
    assert _upload(staff_user, client, "a.csv", _csv(EN_HEADERS, [_row()])).status_code == 201
    r = _upload(staff_user, client, "a.csv", _csv(EN_HEADERS, [_row(days=5)]))
    assert r.status_code == 201, r.json()
    assert list(Proposal.objects.values_list("ref", "days")) == [("P-001", 5)]


@pytest.mark.parametrize(("name", "content", "field"), [
    ("plan.txt", b"hello", "file"),
    ("plan.xlsx", b"not a workbook", "file"),
    ("plan.json", b"{not json", "file"),
    ("plan.json", b'{"spaces": []}', "activities"),
    ("plan.csv", b"Reference,Colour\nP-1,red\n", "header"),
    ("plan.csv", b"", "file"),
])
def test_unreadable_files_are_refused(client, halls, agencies, staff_user, name, content, field):
    r = _upload(staff_user, client, name, content)
    assert r.status_code == 422 and r.json()["field"] == field, r.content
    assert not Proposal.objects.exists()


def test_exchange_json_import(client, halls, agencies, staff_user):
    data = {"horizon": {"start": "2026-10-01", "end": "2027-09-30"}, "spaces": [], "activities": [
        {"id": "X-1", "title": "ประชุม", "agency": "LPN-IND", "type": "conference", "days": 2, "attendees": 300,
         "allowed_spaces": ["HALL-A"], "earliest": "2027-05-01", "latest_end": "2027-05-31",
         "preferred_months": [5], "priority": 5, "unknown_key": "ignored"}]}
    r = _upload(staff_user, client, "plan.json", json.dumps(data).encode())
    assert r.status_code == 201, r.content
    p = Proposal.objects.get()
    assert (p.ref, p.agency.code, p.activity_type, p.priority, p.preferred_months) == (
        "X-1", "LPN-IND", "conference", 5, [5])


def test_template_has_a_help_sheet():
    wb = load_workbook(BytesIO(template_workbook()))
    assert wb.sheetnames == ["proposals", "help"]


def test_buddhist_era_dates_day_first_in_csv_and_excel(client, halls, agencies, staff_user):
    """`10/1/2570` is 10 January 2027: day first, and a year above 2400 is Buddhist Era (CE day-first works too;
    so does a BE year stored in a spreadsheet's own date cell)."""
    from datetime import date, datetime

    rows = [_row(earliest="10/1/2570", latest_end="31/3/2570"),
            _row(ref="P-002", earliest="10/1/2027", latest_end="2570-03-31", fixed_start="1.2.2570")]
    r = _upload(staff_user, client, "plan.csv", _csv(EN_HEADERS, rows))
    assert r.status_code == 201, r.content
    one, two = Proposal.objects.order_by("ref")
    assert (one.earliest, one.latest_end) == (date(2027, 1, 10), date(2027, 3, 31))
    assert (two.earliest, two.latest_end, two.fixed_start) == (date(2027, 1, 10), date(2027, 3, 31),
                                                               date(2027, 2, 1))
    r = _upload(staff_user, client, "plan.xlsx", _xlsx(EN_HEADERS, [_row(ref="P-003",
                                                                         earliest=datetime(2570, 1, 10))]))
    assert r.status_code == 201, r.content
    assert Proposal.objects.get(ref="P-003").earliest == date(2027, 1, 10)


def test_a_bad_date_names_the_day_first_convention(client, halls, agencies, staff_user):
    r = _upload(staff_user, client, "plan.csv", _csv(EN_HEADERS, [_row(earliest="31/2/2570"),
                                                                  _row(ref="P-2", latest_end="01/31/2027")]))
    assert r.status_code == 422
    errors = {(e["row"], e["field"]): e["message"] for e in r.json()["errors"]}
    assert "day/month/year" in errors[(2, "earliest")] and "10/1/2570" in errors[(2, "earliest")]
    assert (3, "latest_end") in errors  # month first is never guessed
