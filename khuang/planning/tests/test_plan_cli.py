"""`khuang plan export` and `khuang plan import`: the database and the exchange format, both ways."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from khuang.planning.models import Proposal
from khuang.planning.optimizer.io import parse_instance

from .conftest import FY

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(create_user):
    return create_user("admin", role="center_staff", is_staff=True)


def _activity(**over):
    a = {"id": "P-001", "title": "งานเซรามิก", "agency": "LPG-IND", "type": "exhibition", "days": 3,
         "setup_days": 1, "teardown_days": 1, "attendees": 500, "allowed_spaces": ["HALL-A", "HALL-AB"],
         "earliest": "2027-01-10", "latest_end": "2027-03-31", "fixed_start": None, "preferred_months": [1, 2],
         "priority": 3}
    a.update(over)
    return a


def _file(tmp_path, activities, name="in.json"):
    path = tmp_path / name
    data = {"horizon": {"start": "2026-10-01", "end": "2027-09-30"}, "spaces": [], "activities": activities}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_export_writes_the_exchange_format_the_solver_reads(tmp_path, halls, create_proposal, agencies, admin):
    create_proposal("P-001", days=2, allowed=["HALL-A"], preferred_months=[1], title_en="Fair")
    create_proposal("P-002", status="draft")  # drafts are not part of the plan
    out = tmp_path / "plan.json"
    call_command("plan", "export", "--fiscal-year", str(FY), "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    # The year is under way (today is 28 Nov 2026): the horizon starts today, not on 1 October.
    assert data["horizon"] == {"start": "2026-11-28", "end": "2027-09-30"}
    assert data["objective"] == {"week_bonus": 3.0, "oversize_penalty": 0.5}  # the venue's settings (defaults)
    assert "limits" not in data  # no daily limits set: version 1 there
    assert [a["id"] for a in data["activities"]] == ["P-001"]
    assert data["activities"][0]["allowed_spaces"] == ["HALL-A"] and data["activities"][0]["title_en"] == "Fair"
    assert {s["code"]: s["parts"] for s in data["spaces"]}["HALL-AB"] == ["HALL-A", "HALL-B"]
    instance = parse_instance(data)  # the optimizer accepts it as is
    assert instance.activities[0].days == 2


def test_export_names_private_bookings_as_the_diary_does(tmp_path, halls, create_proposal, create_booking, bkk,
                                                        agencies, admin):
    create_proposal("P-001")
    secret = create_booking(space=halls["HALL-A"], start=bkk(2027, 1, 12, 9), title="SECRET merger talks",
                            agency=agencies["LPN"])
    create_booking(space=halls["HALL-B"], start=bkk(2027, 1, 13, 9), title="Open ceramics day", is_public=True)
    out = tmp_path / "plan.json"
    call_command("plan", "export", "--fiscal-year", str(FY), "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "SECRET" not in text and f"#{secret.pk}" in text
    assert "booked: Open ceramics day" in text


def test_export_then_import_round_trips(tmp_path, halls, create_proposal, agencies, admin):
    create_proposal("P-001", days=2, allowed=["HALL-A"], preferred_months=[1], layout="theatre", is_public=True)
    out = tmp_path / "plan.json"
    call_command("plan", "export", "--fiscal-year", str(FY), "-o", str(out))
    Proposal.objects.all().delete()
    call_command("plan", "import", str(out), "--fiscal-year", str(FY))
    p = Proposal.objects.get()
    assert (p.ref, p.days, p.layout, p.is_public, p.preferred_months, p.agency.code) == (
        "P-001", 2, "theatre", True, [1], "LPG-IND")


def test_import_creates_proposals(tmp_path, halls, agencies, admin, capsys):
    call_command("plan", "import", _file(tmp_path, [_activity(), _activity(id="P-002", allowed_spaces=None)]),
                 "--fiscal-year", str(FY))
    assert "imported 2 proposals" in capsys.readouterr().out
    assert sorted(Proposal.objects.values_list("ref", flat=True)) == ["P-001", "P-002"]
    assert not Proposal.objects.get(ref="P-002").allowed_spaces.exists()


@pytest.mark.parametrize(("activities", "activity", "field"), [
    ([_activity(allowed_spaces=["HALL-Z"])], "P-001", "allowed_spaces"),
    ([_activity(days=0)], "P-001", "days"),
    ([_activity(earliest="2027-01-10", latest_end="2027-01-11")], "P-001", "latest_end"),
    ([_activity(fixed_start="2027-04-01")], "P-001", "fixed_start"),
    ([_activity(), _activity(title="again")], "P-001", "ref"),
    ([_activity(), _activity(id="P-009", type="party")], "P-009", "activity_type"),
])
def test_bad_input_exits_2_naming_activity_and_field_and_writes_nothing(tmp_path, halls, agencies, admin,
                                                                         activities, activity, field):
    with pytest.raises(CommandError) as caught:
        call_command("plan", "import", _file(tmp_path, activities), "--fiscal-year", str(FY))
    assert caught.value.returncode == 2
    message = str(caught.value)
    assert f"activity {activity}" in message and f"{field}:" in message, message
    assert not Proposal.objects.exists()


def test_malformed_json_exits_2(tmp_path, halls, agencies, admin):
    path = tmp_path / "bad.json"
    path.write_text('{"activities": [', encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("plan", "import", str(path), "--fiscal-year", str(FY))
    assert caught.value.returncode == 2 and "bad.json" in str(caught.value)
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("args", [
    ["import", "--fiscal-year", str(FY)],                   # no file
    ["import", "/nonexistent.json", "--fiscal-year", str(FY)],
    ["export", "--fiscal-year", "2027"],                    # a CE year by mistake
    ["export", "--fiscal-year", str(FY), "--venue", "NOWHERE"],
])
def test_usage_errors_exit_2(halls, admin, args):
    with pytest.raises(CommandError) as caught:
        call_command("plan", *args)
    assert caught.value.returncode == 2


def test_demo_proposals_load_once_for_fy_2570():
    from khuang.accounts import demo as accounts_demo
    from khuang.planning import demo
    from khuang.venues import demo as venues_demo

    accounts_demo.load()
    venues_demo.load()
    demo.load()
    demo.load()
    assert demo.FISCAL_YEAR == 2570
    proposals = Proposal.objects.filter(fiscal_year=2570)
    assert proposals.count() == len(demo.PROPOSALS) + 24
    assert set(proposals.values_list("status", flat=True)) == {"submitted"}
    assert len(set(proposals.values_list("agency__code", flat=True))) >= 8
    assert all(p.earliest >= demo.OPENS for p in proposals)
