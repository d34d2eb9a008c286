"""Upload limits (finding 4) and imports that validate first and write in one short transaction (finding 5)."""

import io
import time
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from khuang.core.models import AuditEntry
from khuang.planning.imports import MAX_ROWS
from khuang.planning.models import Proposal

from .conftest import FY
from .test_imports import EN_HEADERS, _csv, _row, _upload, _xlsx

pytestmark = pytest.mark.django_db
PLACEHOLDER = "NOTE-PLACEHOLDER"


def _bomb(cell_bytes: int) -> bytes:
    """A valid workbook whose one notes cell holds `cell_bytes` characters: tiny zipped, huge unzipped."""
    plain = _xlsx(EN_HEADERS, [_row(notes=PLACEHOLDER)])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if PLACEHOLDER.encode() in data:
                data = data.replace(PLACEHOLDER.encode(), b"A" * cell_bytes)
            dst.writestr(info.filename, data)
    return out.getvalue()


def test_finding_4_a_small_xlsx_with_a_100_mb_cell_is_refused_before_it_is_read(client, halls, planner_lpg):
    bomb = _bomb(100 * 2**20)
    assert len(bomb) < 200 * 1024  # well under the 5 MB upload limit, as in the finding
    started = time.monotonic()
    res = _upload(planner_lpg, client, "bomb.xlsx", bomb)
    assert res.status_code == 413, res.content[:300]
    assert res.json()["field"] == "file" and "25 MB" in res.json()["detail"]
    assert time.monotonic() - started < 5  # refused from the zip directory, not after unzipping 100 MB
    assert not Proposal.objects.exists()


def test_finding_4_an_oversized_cell_within_the_limits_is_named_with_its_limit(client, halls, planner_lpg):
    res = _upload(planner_lpg, client, "long.xlsx", _bomb(3000))
    assert res.status_code == 422
    (error,) = res.json()["errors"]
    assert (error["row"], error["field"]) == (2, "notes") and "2,000" in error["message"]
    rows = [_row(title_th="ก" * 201), _row(ref="P-002", notes="fine")]
    res = _upload(planner_lpg, client, "title.csv", _csv(EN_HEADERS, rows))
    assert res.status_code == 422
    assert [(e["row"], e["field"]) for e in res.json()["errors"]] == [(2, "title_th")]
    assert "200" in res.json()["errors"][0]["message"]
    assert not Proposal.objects.exists()


def test_finding_4_notes_are_capped_over_the_api_and_the_model_too(api, halls, planner_lpg):
    body = {"fiscal_year": FY, "ref": "P-9", "title_th": "ทดสอบ", "activity_type": "seminar", "days": 1,
            "notes": "x" * 2001}
    res = api("post", "/api/proposals", body, user=planner_lpg)
    assert res.status_code == 422 and res.json()["field"] == "notes"


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_more_than_5000_rows_are_refused_before_validation(client, halls, planner_lpg, kind):
    import json

    count = MAX_ROWS + 1
    if kind == "csv":
        content = _csv(EN_HEADERS, [_row(ref=f"P-{i:05d}") for i in range(count)])
    else:
        content = json.dumps({"activities": [{"id": f"P-{i}", "agency": "LPG-IND", "title": "x", "type": "seminar",
                                              "days": 1} for i in range(count)]}).encode()
    with CaptureQueriesContext(connection) as queries:
        res = _upload(planner_lpg, client, f"many.{kind}", content)
    assert res.status_code == 413 and "5,000" in res.json()["detail"]
    proposal_queries = [q for q in queries.captured_queries if "planning_proposal" in q["sql"]]
    assert proposal_queries == []  # refused while reading: no row was validated against the database
    assert not Proposal.objects.exists()


def test_finding_5_valid_rows_are_written_in_bulk_in_one_transaction(client, halls, planner_lpg, create_proposal):
    create_proposal("P-00007", title_th="เดิม")  # an existing reference is updated in place
    rows = [_row(ref=f"P-{i:05d}", allowed_spaces="HALL-A HALL-AB" if i % 2 else "") for i in range(1000)]
    with CaptureQueriesContext(connection) as queries:
        res = _upload(planner_lpg, client, "many.csv", _csv(EN_HEADERS, rows))
    assert res.status_code == 201, res.content[:500]
    assert Proposal.objects.count() == 1000
    assert Proposal.objects.get(ref="P-00007").title_th == "งานเซรามิก"
    assert Proposal.objects.get(ref="P-00001").allowed_spaces.count() == 2
    assert AuditEntry.objects.filter(action="import").count() == 1000
    # Reads and writes do not grow with the rows (the finding: one query per row and per field, 36 s for 10,000).
    assert len(queries.captured_queries) < 60, len(queries.captured_queries)
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) < 20, len(writes)


def test_one_bad_row_among_many_imports_nothing(client, halls, planner_lpg):
    rows = [_row(ref=f"P-{i:05d}") for i in range(300)] + [_row(ref="P-BAD", days="many")]
    res = _upload(planner_lpg, client, "bad.csv", _csv(EN_HEADERS, rows))
    assert res.status_code == 422
    assert [(e["row"], e["field"]) for e in res.json()["errors"]] == [(302, "days")]
    assert not Proposal.objects.exists()
