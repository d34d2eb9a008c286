"""Exhibition services: floor plans and their formats, booth claims with the diary's hold rules, applications,
optimizer runs turned into reservations, fees and community sales."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from khuang.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from khuang.exhibitions import layout, selectors, services
from khuang.exhibitions.models import BoothClaim, ClaimStatus, Exhibition

from .conftest import grid_layout

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The refusals are read in English here (Thai is the default language of the site)."""
    with translation.override("en"):
        yield


def _layout(plan, doc):
    return layout.parse_json(doc, width=plan.width_m, depth=plan.depth_m, grid=plan.grid_m)


# ---------------------------------------------------------------- floor plans

def test_a_combined_hall_plan_places_its_parts_and_every_booth_inside_one(hall, staff_user):
    plan = services.floorplan_create(space=hall, name_th="ผัง", width_m=24, depth_m=12, actor=staff_user)
    assert [p["space"] for p in plan.parts_layout] == ["HALL-A", "HALL-B"]
    assert plan.parts_layout[0]["width"] + plan.parts_layout[1]["width"] == pytest.approx(24)
    doc = grid_layout()
    doc["booths"].append({"code": "X1", "x": 10.5, "y": 9, "width": 3, "depth": 3})  # straddles the two halls
    with pytest.raises(ApplicationError) as err:
        services.floorplan_save_layout(plan, _layout(plan, doc), actor=staff_user)
    assert "X1" in err.value.message and err.value.field == f"booths[{len(doc['booths']) - 1}].x"
    doc = grid_layout()
    doc["parts"] = doc["parts"][:1]
    with pytest.raises(ApplicationError, match="HALL-B") as err:
        services.floorplan_save_layout(plan, _layout(plan, doc), actor=staff_user)
    assert err.value.field == "parts"


@pytest.mark.parametrize(("change", "field", "words"), [
    (lambda d: d["booths"][1].update(x=d["booths"][0]["x"] + 1), "booths[1].x", "overlaps"),
    (lambda d: d["booths"][0].update(y=1), "booths[0].x", "stands on"),
    (lambda d: d["booths"][0].update(x=23), "booths[0].x", "outside"),
    (lambda d: d["booths"][1].update(code=d["booths"][0]["code"]), "booths[1].code", "twice"),
    (lambda d: d["booths"][0].update(code="บูธ1"), "booths[0].code", "Latin"),
    (lambda d: d["booths"][0].update(width=-3), "booths[0].width", "above zero"),
    (lambda d: d["features"][0].update(kind="stage"), "features[0].kind", "aisle"),
])
def test_bad_layouts_are_refused_naming_the_item_and_nothing_changes(plan, staff_user, change, field, words):
    before = sorted(plan.booths.values_list("code", "x"))
    doc = grid_layout()
    change(doc)
    with pytest.raises(ApplicationError) as err:
        services.floorplan_save_layout(plan, _layout(plan, doc), actor=staff_user)
    assert err.value.field == field
    assert words in err.value.message
    assert sorted(plan.booths.values_list("code", "x")) == before


def test_csv_import_is_all_or_nothing_and_names_the_row(plan, staff_user):
    text = layout.to_csv(plan)
    assert text.startswith("\ufeffkind,code,x,y")
    lines = text.splitlines()
    lines.append("booth,Z9,30,3,3,3,inline,yes,no,A,standard,no,")  # outside the 24 m plan
    with pytest.raises(ApplicationError) as err:
        services.floorplan_import(plan, "\n".join(lines), "csv", actor=staff_user)
    assert err.value.field.endswith(".x") and "Z9" in err.value.message
    lines[-1] = "booth,Z9,1.5,9,3,x3,inline,yes,no,A,standard,no,"
    with pytest.raises(ApplicationError) as err:
        services.floorplan_import(plan, "\n".join(lines), "csv", actor=staff_user)
    assert err.value.extra["row"] == len(lines) and err.value.field == f"rows[{len(lines)}].depth"
    assert not plan.booths.filter(code="Z9").exists()
    lines[-1] = "booth,Z9,1.5,9,3,3,inline,yes,no,A,standard,no,"
    services.floorplan_import(plan, "\n".join(lines), "csv", actor=staff_user)
    z9 = plan.booths.get(code="Z9")
    assert (z9.x, z9.power, z9.zone) == (Decimal("1.5"), True, "A")


def test_json_export_imports_back_unchanged(plan, staff_user):
    doc = layout.to_json(plan)
    copy = services.floorplan_create(space=plan.space, name_th="สำเนา", width_m=24, depth_m=12, actor=staff_user)
    services.floorplan_import(copy, json.dumps(doc), "json", actor=staff_user)
    assert layout.to_json(copy) == doc


def test_only_staff_change_plans(plan, people):
    for who in ("planner", "viewer", "other"):
        with pytest.raises(PermissionDeniedError):
            services.floorplan_save_layout(plan, _layout(plan, grid_layout()), actor=people[who])


def test_a_sold_booth_cannot_be_removed_from_its_plan_but_the_plan_can_be_copied(exhibition, apply_to, staff_user):
    app = apply_to(exhibition, "Indra")
    services.claim_sell(exhibition, "A11", app, actor=staff_user)
    plan = exhibition.floor_plan
    doc = grid_layout()
    doc["booths"] = [b for b in doc["booths"] if b["code"] != "A11"]
    with pytest.raises(ConflictError, match="A11"):
        services.floorplan_save_layout(plan, _layout(plan, doc), actor=staff_user)
    copy = services.floorplan_copy(plan, actor=staff_user)
    services.floorplan_save_layout(copy, _layout(copy, doc), actor=staff_user)
    assert copy.booths.count() == plan.booths.count() - 1


# ---------------------------------------------------------------- exhibitions

def test_an_exhibition_uses_a_plan_of_the_booked_space(fair_booking, plan, create_space, staff_user, people):
    other = create_space("HALL-C", kind="hall")
    wrong = services.floorplan_create(space=other, name_th="ผัง C", width_m=10, depth_m=10, actor=staff_user)
    with pytest.raises(ApplicationError, match="HALL-C") as err:
        services.exhibition_create(fair_booking, wrong, actor=staff_user)
    assert err.value.field == "floor_plan"
    with pytest.raises(PermissionDeniedError):
        services.exhibition_create(fair_booking, plan, actor=people["other"])
    ex = services.exhibition_create(fair_booking, plan, actor=people["planner"])  # the organiser's planner
    assert ex.can_manage(people["planner"]) and not ex.can_manage(people["viewer"]) and ex.can_view(people["viewer"])
    with pytest.raises(ConflictError):
        services.exhibition_create(fair_booking, plan, actor=staff_user)


def test_visible_to_and_managed_by(exhibition, people):
    assert set(Exhibition.objects.visible_to(people["staff"])) == {exhibition}
    assert set(Exhibition.objects.visible_to(people["planner"])) == {exhibition}
    assert set(Exhibition.objects.visible_to(people["viewer"])) == {exhibition}
    assert not Exhibition.objects.visible_to(people["other"]).exists()
    assert set(Exhibition.objects.managed_by(people["planner"])) == {exhibition}
    assert not Exhibition.objects.managed_by(people["viewer"]).exists()


# ---------------------------------------------------------------- claims

def test_a_sale_is_priced_by_class_and_category_and_a_booth_is_never_sold_twice(exhibition, apply_to, staff_user):
    community = apply_to(exhibition, "Ban Sala", category="community")
    corp = apply_to(exhibition, "Big Corp", category="corporate")
    sale = services.claim_sell(exhibition, "A11", community, actor=staff_user)  # A11: corner class
    assert sale.price_thb == Decimal("4000") and sale.status == ClaimStatus.SOLD and sale.active
    with pytest.raises(ConflictError, match="A11") as err:
        services.claim_sell(exhibition, "A11", corp, actor=staff_user)
    assert err.value.extra["state"] == "sold"
    assert BoothClaim.objects.filter(booth__code="A11", status="sold").count() == 1
    assert services.claim_sell(exhibition, "A12", corp, actor=staff_user).price_thb == Decimal("12000")


def test_the_database_itself_refuses_a_second_active_claim(exhibition, apply_to):
    a, b = apply_to(exhibition, "A"), apply_to(exhibition, "B")
    booth = exhibition.floor_plan.booths.get(code="A12")
    BoothClaim.objects.create(exhibition=exhibition, booth=booth, application=a, status="sold", active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        BoothClaim.objects.create(exhibition=exhibition, booth=booth, application=b, status="sold", active=True)
    with pytest.raises(IntegrityError), transaction.atomic():  # a sale is always active
        BoothClaim.objects.create(exhibition=exhibition, booth=booth, application=b, status="sold", active=False)


def test_holds_queue_by_rank_and_the_next_moves_up_when_one_is_released(exhibition, apply_to, staff_user):
    first, second, third = (apply_to(exhibition, n) for n in ("First", "Second", "Third"))
    h1 = services.claim_hold(exhibition, "B12", first, actor=staff_user)
    h2 = services.claim_hold(exhibition, "B12", second, actor=staff_user)
    h3 = services.claim_hold(exhibition, "B12", third, actor=staff_user)
    assert [(h.option_rank, h.active) for h in (h1, h2, h3)] == [(1, True), (2, False), (3, False)]
    assert selectors.booth_states(exhibition)["B12"]["state"] == "held"
    with pytest.raises(ConflictError):  # a booth held by someone else is not for sale
        services.claim_sell(exhibition, "B12", second, actor=staff_user)
    services.claim_release(h1, actor=staff_user)
    h2.refresh_from_db()
    h3.refresh_from_db()
    assert (h2.option_rank, h2.active, h3.option_rank) == (1, True, 2)
    services.claim_sell(exhibition, "B12", second, actor=staff_user)  # its own hold becomes the sale
    h3.refresh_from_db()
    assert h3.status == "released" and not h3.active  # queued holds end once the booth is sold


def test_an_expired_hold_lapses_and_the_next_option_is_offered(exhibition, apply_to, staff_user):
    first, second = apply_to(exhibition, "First"), apply_to(exhibition, "Second")
    h1 = services.claim_hold(exhibition, "B21", first, actor=staff_user,
                             expires_at=timezone.now() + timedelta(minutes=5))
    h2 = services.claim_hold(exhibition, "B21", second, actor=staff_user)
    BoothClaim.objects.filter(pk=h1.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    assert services.hold_expire(h1.pk).status == "released"
    h2.refresh_from_db()
    assert h2.active and h2.option_rank == 1
    assert services.hold_expire(h2.pk) is None  # not yet due


def test_blocked_booths_are_not_for_sale(exhibition, apply_to, staff_user):
    app = apply_to(exhibition, "X")
    services.booth_block(exhibition, "A21", actor=staff_user, reason="organiser's desk")
    with pytest.raises(ConflictError, match="blocked"):
        services.claim_sell(exhibition, "A21", app, actor=staff_user)
    services.booth_unblock(exhibition, "A21", actor=staff_user)
    services.claim_sell(exhibition, "A21", app, actor=staff_user)


def test_only_accepted_exhibitors_get_booths_and_prices_must_exist(exhibition, apply_to, staff_user):
    pending = apply_to(exhibition, "Pending", accept=False)
    with pytest.raises(ConflictError, match="not an accepted"):
        services.claim_sell(exhibition, "A12", pending, actor=staff_user)
    app = apply_to(exhibition, "Y")
    services.prices_set(exhibition, [], actor=staff_user)
    with pytest.raises(ApplicationError, match="standard") as err:
        services.claim_reserve(exhibition, "A12", app, actor=staff_user)
    assert err.value.status_code == 422


# ---------------------------------------------------------------- applications

def _pdf(name="doc.pdf", size=1000):
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"x" * size, content_type="application/pdf")


def test_an_application_with_documents_gets_points_and_a_private_token(exhibition, apply_to, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    app = apply_to(exhibition, "Ban Sala Buakbok", accept=False, category="community", otop_stars=4,
                   documents=[("community", _pdf())])
    assert app.status == "submitted" and len(app.token) >= 40
    assert app.priority_points == 5 + 3 + 4
    doc = app.documents.get()
    assert doc.content_type == "application/pdf" and doc.file.read().startswith(b"%PDF")


@pytest.mark.parametrize(("changes", "field"), [
    ({"email": "not-an-email"}, "email"),
    ({"phone": "12"}, "phone"),
    ({"province": "Atlantis"}, "province"),
    ({"category": "community", "community_reg_no": ""}, "community_reg_no"),
    ({"preferred_zone": "Z"}, "preferred_zone"),
    ({"booths_wanted": 9}, "booths_wanted"),
    ({"documents": [("other", SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf"))]}, "documents"),
    ({"documents": [("other", _pdf(size=6 * 1024 * 1024))]}, "documents"),
])
def test_bad_applications_name_the_field(exhibition, apply_to, changes, field):
    with pytest.raises(ApplicationError) as err:
        apply_to(exhibition, "Bad", accept=False, **changes)
    assert err.value.field == field
    assert not exhibition.applications.exists()


def test_one_open_application_per_address_and_competitors_are_linked_by_name(exhibition, apply_to):
    first = apply_to(exhibition, "Dhanabadee Ceramic", accept=False, email="x@example.org")
    with pytest.raises(ConflictError):
        apply_to(exhibition, "Again", accept=False, email="x@example.org")
    rival = apply_to(exhibition, "Indra", accept=False, competitors_text="Please not next to dhanabadee ceramic")
    assert list(rival.avoid.all()) == [first]


def test_decisions_need_reasons_and_release_holds_but_not_sales(exhibition, apply_to, staff_user):
    app = apply_to(exhibition, "Z")
    with pytest.raises(ApplicationError) as err:
        services.application_decide(app, "decline", actor=staff_user)
    assert err.value.field == "reason"
    hold = services.claim_hold(exhibition, "A22", app, actor=staff_user)
    services.application_decide(app, "waitlist", actor=staff_user, reason="Hall full")
    hold.refresh_from_db()
    assert hold.status == "released"
    services.application_decide(app, "accept", actor=staff_user)
    services.claim_sell(exhibition, "A22", app, actor=staff_user)
    with pytest.raises(ConflictError, match="A22"):
        services.application_decide(app, "decline", actor=staff_user, reason="late")


def test_applications_close_after_the_deadline(exhibition, apply_to, staff_user):
    services.exhibition_update(exhibition, {"application_deadline": timezone.localdate() - timedelta(days=1)},
                               actor=staff_user)
    with pytest.raises(ConflictError):
        apply_to(exhibition, "Late", accept=False)


# ---------------------------------------------------------------- optimizer runs

def test_a_run_assigns_accepted_exhibitors_and_applying_it_reserves_their_booths(exhibition, apply_to, staff_user):
    big = apply_to(exhibition, "Big", booths_wanted=2, preferred_zone="B", needs_power=True)
    small = apply_to(exhibition, "Small", booth_type="corner")
    rival = apply_to(exhibition, "Rival")
    services.application_update(rival, {}, actor=staff_user, avoid=[small.pk])
    apply_to(exhibition, "Pending", accept=False)
    run = services.run_start(exhibition, actor=staff_user, time_limit=5, run_now=True)
    assert run.status == "solved" and run.objective > 0 and run.bound >= run.objective
    placed = run.result["assignments"]
    assert set(placed) == {str(big.pk), str(small.pk), str(rival.pk)}
    assert all(code.startswith("B") for code in placed[str(big.pk)])
    assert run.explanations[str(big.pk)]["zone_fit"] is True
    services.run_apply(run, actor=staff_user)
    claims = BoothClaim.objects.filter(exhibition=exhibition, status="reserved")
    assert {c.booth.code for c in claims.filter(application=big)} == set(placed[str(big.pk)])
    assert claims.count() == 4
    run.refresh_from_db()
    assert run.status == "applied"


def test_sold_booths_stay_and_a_stale_run_is_refused_whole(exhibition, apply_to, staff_user):
    buyer = apply_to(exhibition, "Buyer")
    services.claim_sell(exhibition, "A11", buyer, actor=staff_user)
    other = apply_to(exhibition, "Other")
    run = services.run_start(exhibition, actor=staff_user, time_limit=5, run_now=True)
    assert run.result["assignments"][str(buyer.pk)] == ["A11"]
    assert run.explanations[str(buyer.pk)]["reason"] == "pinned"
    target = run.result["assignments"][str(other.pk)][0]
    late = apply_to(exhibition, "Late")
    services.claim_sell(exhibition, target, late, actor=staff_user)  # taken after the run
    with pytest.raises(ConflictError, match=target):
        services.run_apply(run, actor=staff_user)
    assert not BoothClaim.objects.filter(exhibition=exhibition, status="reserved").exists()


def test_the_exchange_document_of_an_exhibition_solves_with_the_cli_format(exhibition, apply_to, staff_user):
    from khuang.exhibitions.booths.io import parse_instance

    apply_to(exhibition, "P", booths_wanted=2)
    data = json.loads(services.instance_json(exhibition, actor=staff_user))
    instance = parse_instance(data)
    assert len(instance.booths) == 8 and instance.exhibitors[0].booths == 2


# ---------------------------------------------------------------- fees and sales

def test_fees_have_a_deposit_and_a_balance_due_before_move_in(exhibition, apply_to, staff_user):
    app = apply_to(exhibition, "Fee", category="sme")
    services.claim_reserve(exhibition, "A12", app, actor=staff_user)
    services.claim_sell(exhibition, "A11", app, actor=staff_user)
    fees = selectors.exhibitor_fees(app)
    assert [line["booth"] for line in fees["lines"]] == ["A11", "A12"]
    assert fees["total_thb"] == Decimal("14000") and fees["deposit_thb"] == Decimal("7000")
    assert fees["balance_thb"] == Decimal("7000")
    move_in = timezone.localtime(exhibition.booking.occupied_start).date()
    assert fees["balance_due"] == move_in - timedelta(days=exhibition.balance_due_days)


def test_community_sales_are_recorded_after_the_fair_has_begun(exhibition, apply_to, staff_user):
    otop = apply_to(exhibition, "OTOP", category="community")
    sme = apply_to(exhibition, "SME")
    with pytest.raises(ConflictError):
        services.sales_record(otop, 1000, by_exhibitor=True)  # not begun yet
    exhibition.booking.__class__.objects.filter(pk=exhibition.booking_id).update(
        start=timezone.now() - timedelta(hours=1))
    otop.refresh_from_db()
    services.sales_record(otop, "12,500.50", by_exhibitor=True)
    otop.refresh_from_db()
    assert otop.sales_thb == Decimal("12500.50") and otop.sales_recorded_by is None
    services.sales_record(otop, 13000, actor=staff_user)
    otop.refresh_from_db()
    assert otop.sales_thb == Decimal("13000") and otop.sales_recorded_by == staff_user
    with pytest.raises(ConflictError):
        services.sales_record(sme, 100, actor=staff_user)
    with pytest.raises(ApplicationError) as err:
        services.sales_record(otop, -5, by_exhibitor=True)
    assert err.value.field == "sales_thb"
    assert selectors.sales_summary(exhibition)["total_thb"] == Decimal("13000")
