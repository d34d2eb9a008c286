"""Trade fairs: center staff keep the floor plans; staff and the organising agency's planners manage its exhibition
(settings, prices, the booth desk, decisions, optimizer runs); its viewers and finance officers read it, finance
officers bill and invoice booth fees; other agencies see nothing of it. Applying, the exhibitor list and the
exhibitor's own page (its private token is the key) need no account."""

from datetime import timedelta
from decimal import Decimal

from . import Row

PDF = b"%PDF-1.4 matrix test document\n%%EOF\n"
DOCUMENT = "exhibitors/matrix/registration.pdf"  # one stored file, reused by every world


def _layout() -> dict:
    """Eight booths of 3 × 3 m in two zones on a 24 × 12 m plan, an aisle and the entrance."""
    booths = [{"code": f"{zone}{row}{col}", "x": (1.5 if zone == "A" else 13.5) + (col - 1) * 3, "y": 3 * row,
               "width": 3, "depth": 3, "type": "corner" if col == 1 else "inline", "power": True, "water": False,
               "zone": zone, "price_class": "corner" if col == 1 else "standard", "prime": row == 1}
              for zone in "AB" for row in (1, 2) for col in (1, 2)]
    return {"booths": booths,
            "features": [{"kind": "aisle", "x": 0, "y": 0, "width": 24, "depth": 3, "label": "Main aisle"},
                         {"kind": "entrance", "x": 10, "y": 0, "width": 4, "depth": 1, "label": "Entrance"}]}


def _draft(name: str, email: str, **kw):
    from khuang.exhibitions.services import ApplicationDraft

    return ApplicationDraft(company_name=name, contact_name="ผู้ติดต่อ", email=email, phone="081 234 5678",
                            province="Lampang", category=kw.pop("category", "sme"), product_category="ceramics", **kw)


def build(world: dict) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from khuang.bookings.services import BookingDraft, booking_create
    from khuang.exhibitions import billing, layout, services
    from khuang.exhibitions.models import (
        ApplicationDocument,
        ApplicationStatus,
        AssignmentRun,
        ExhibitorApplication,
        RunStatus,
    )
    from khuang.venues.models import Space, Venue

    staff, finance, a = world["users"]["staff"], world["users"]["finance"], world["agency_a"]
    # A hall of its own, so no other app's bookings meet the fairs'.
    hall = Space.objects.create(venue=Venue.objects.get(code=world["venue"]), code="EXPO-HALL", name_th="EXPO-HALL",
                                name_en="EXPO-HALL", kind="hall", capacity_theatre=800, area_sqm=288,
                                booth_count=8)
    plan = services.floorplan_create(space=hall, name_th="ผังงานแฟร์", name_en="Fair plan", width_m=24, depth_m=12,
                                     actor=staff)
    plan = services.floorplan_save_layout(plan, layout.parse_json(_layout(), width=plan.width_m,
                                                                  depth=plan.depth_m, grid=plan.grid_m),
                                          actor=staff)

    def fair(title: str, start, **kw):
        return booking_create(BookingDraft(space=hall, title=title, start=start, end=start + timedelta(hours=9),
                                           status="confirmed", agency=a, event_type="trade_fair", **kw),
                              actor=staff, override_rules=True, reason="matrix")

    soon = world["soon"]
    booking = fair("Ceramics fair of A", soon + timedelta(days=40), is_public=True)
    free = fair("Private fair of A", soon + timedelta(days=50))  # no exhibition yet
    ex = services.exhibition_create(booking, plan, actor=staff, deposit_pct=Decimal("50"))
    services.prices_set(ex, [{"price_class": cls, "category": cat, "price_thb": 5000}
                             for cls in ("standard", "corner")
                             for cat in ("community", "sme", "corporate", "government")], actor=staff)

    # Reserved on A11, billed, its deposit invoiced; with a document. The stored file is written once.
    if not default_storage.exists(DOCUMENT):
        default_storage.save(DOCUMENT, ContentFile(PDF))
    billed = services.application_submit(ex, _draft("Billed Co", "billed@example.org"))
    doc = ApplicationDocument.objects.create(application=billed, kind="registration", file=DOCUMENT,
                                             name="registration.pdf", size=len(PDF), content_type="application/pdf")
    billed = services.application_decide(billed, "accept", actor=staff)
    services.claim_reserve(ex, "A11", billed, actor=staff)
    billing.booth_fees_bill(billed, actor=staff)
    billed.refresh_from_db()
    invoice = billing.booth_invoice_issue(billed, "deposit", actor=finance)
    # Reserved on A12, not billed yet; holds A21 (a claim to release).
    to_bill = services.application_decide(services.application_submit(ex, _draft("To Bill Co", "bill@example.org")),
                                          "accept", actor=staff)
    services.claim_reserve(ex, "A12", to_bill, actor=staff)
    hold = services.claim_hold(ex, "A21", to_bill, actor=staff)
    services.booth_block(ex, "B12", actor=staff, reason="organiser's desk")
    submitted = services.application_submit(ex, _draft("Waiting Co", "waiting@example.org"))
    # A solved run that places the billed exhibitor where it is (applying it changes nothing but its state).
    run = AssignmentRun.objects.create(
        exhibition=ex, status=RunStatus.SOLVED, time_limit=2, workers=1, objective=1, bound=1, gap=0,
        result={"assignments": {str(billed.pk): ["A11"]}, "unassigned": []},
        explanations={str(billed.pk): {"reason": "placed", "message_en": "Placed.", "message_th": "ได้บูธ",
                                       "blocking": [], "zone_fit": True, "type_fit": True}}, created_by=staff)
    # A fair under way, with a community exhibitor who may record its sales.
    now = fair("Running fair of A", soon - timedelta(days=15), is_public=True)
    running = services.exhibition_create(now, plan, actor=staff)
    community = ExhibitorApplication.objects.create(
        exhibition=running, company_name="Community Group", contact_name="ผู้ติดต่อ", email="group@example.org",
        phone="0812345678", province="Lampang", category="community", community_reg_no="5-52-01-01/1-0001",
        product_category="food", status=ApplicationStatus.ACCEPTED)
    world.update({
        "expo_space": hall.code, "expo_plan": plan.pk, "expo_plan_csv": layout.to_csv(plan).encode(),
        "expo_plan_layout": layout.to_json(plan), "expo": ex.pk, "expo_event": booking.pk,
        "expo_free_booking": free.pk, "expo_app": billed.pk, "expo_doc": doc.pk, "expo_token": billed.token,
        "expo_invoice": invoice.pk, "expo_app_to_bill": to_bill.pk, "expo_hold": hold.pk,
        "expo_app_submitted": submitted.pk, "expo_run": run.pk, "expo_community": community.pk,
        "expo_community_token": community.token,
    })


def _plan_body(world: dict) -> dict:
    return {"space": world["expo_space"], "venue": world["venue"], "name_th": "ผังใหม่", "width_m": 20,
            "depth_m": 10}


def _apply_body(world: dict) -> dict:
    return {"company_name": "New Exhibitor", "contact_name": "Somsri", "email": "new@example.org",
            "phone": "081 234 5678", "province": "Lampang", "category": "sme", "product_category": "food"}


def _settings_body(world: dict) -> dict:
    return {"hold_days": 7, "deposit_pct": 40, "competitor_distance_m": 0, "community_prime_quota": 1,
            **{f"price__{cls}__{cat}": 6500 for cls in ("standard", "corner")
               for cat in ("community", "sme", "corporate", "government")}}


PRICES = {"prices": [{"price_class": cls, "category": cat, "price_thb": 6000} for cls in ("standard", "corner")
                     for cat in ("community", "sme", "corporate", "government")]}
EX = "/expo/{expo}"
MANAGE_PAGE = "302  302   302  404   403  404   404  404"  # staff and A's planner; A's viewer reads only
READ_PAGE = "302  200   200  404   200  404   404  404"  # also finance officers (who bill booth fees)
MANAGE_API = "401  200   200  404   403  404   404  404"
READ_API = "401  200   200  404   200  404   404  404"
STAFF_PAGE = "302  302   403  403   403  403   403  403"
STAFF_API = "401  200   403  403   403  403   403  403"
SIGNED_IN_PAGE = "302  200   200  200   200  200   200  200"
SIGNED_IN_API = "401  200   200  200   200  200   200  200"
PUBLIC = "200  200   200  200   200  200   200  200"
MANAGER_ONLY = {"finance": 403}
READER = {"finance": 200}

ROWS = [
    # ---------------------------------------- floor plans: everyone signed in reads, staff write
    #   method  route / path                                      anon staff plan planB view viewB none exec
    Row("GET",  "expo/plans/",                                    SIGNED_IN_PAGE, url="/expo/plans/"),
    Row("POST", "expo/plans/new/",                                STAFF_PAGE, url="/expo/plans/new/",
        body=lambda w: {"space": _space_pk(w), "name_th": "ผังใหม่", "width_m": 20, "depth_m": 10}),
    Row("GET",  "expo/plans/<int:plan_id>/",                      SIGNED_IN_PAGE, url="/expo/plans/{expo_plan}/"),
    Row("POST", "expo/plans/<int:plan_id>/import/",               STAFF_PAGE, url="/expo/plans/{expo_plan}/import/",
        files=lambda w: {"file": ("plan.csv", w["expo_plan_csv"])}),
    Row("POST", "expo/plans/<int:plan_id>/copy/",                 STAFF_PAGE, url="/expo/plans/{expo_plan}/copy/"),
    Row("GET",  "expo/plans/<int:plan_id>/layout.<str:fmt>",      SIGNED_IN_PAGE,
        url="/expo/plans/{expo_plan}/layout.csv"),
    Row("GET",  "/api/floorplans",                                SIGNED_IN_API),
    Row("POST", "/api/floorplans",                                "401  201   403  403   403  403   403  403",
        body=_plan_body),
    Row("GET",  "/api/floorplans/{plan_id}",                      SIGNED_IN_API, url="/api/floorplans/{expo_plan}"),
    Row("PUT",  "/api/floorplans/{plan_id}/layout",               STAFF_API,
        url="/api/floorplans/{expo_plan}/layout", body=lambda w: w["expo_plan_layout"]),
    Row("POST", "/api/floorplans/{plan_id}/import",               STAFF_API,
        url="/api/floorplans/{expo_plan}/import",
        body=lambda w: {"format": "csv", "text": w["expo_plan_csv"].decode()}),

    # ---------------------------------------- exhibitions: set up and managed by staff and A's planner
    Row("GET",  "expo/",                                          "302  200   200  403   200  403   403  403",
        url="/expo/", also=READER, note="agency B has neither exhibitions nor bookings to set up"),
    Row("GET",  "expo/new/",                                      "302  200   200  404   403  404   404  404",
        url="/expo/new/?booking={expo_free_booking}", also=MANAGER_ONLY),
    Row("POST", "expo/new/",                                      MANAGE_PAGE, url="/expo/new/", also=MANAGER_ONLY,
        body=lambda w: {"booking": w["expo_free_booking"], "floor_plan": w["expo_plan"]}),
    Row("GET",  "/api/exhibitions",                               SIGNED_IN_API),
    Row("POST", "/api/exhibitions",                               "401  201   201  404   403  404   404  404",
        body=lambda w: {"booking": w["expo_free_booking"], "floor_plan": w["expo_plan"]}, also=MANAGER_ONLY),
    Row("GET",  "expo/<int:exhibition_id>/",                      READ_PAGE, url=EX + "/", also=READER),
    Row("GET",  "/api/exhibitions/{exhibition_id}",               READ_API, url="/api/exhibitions/{expo}",
        also=READER),
    Row("POST", "expo/<int:exhibition_id>/settings/",             MANAGE_PAGE, url=EX + "/settings/",
        body=_settings_body, also=MANAGER_ONLY),
    Row("PUT",  "/api/exhibitions/{exhibition_id}/prices",        MANAGE_API, url="/api/exhibitions/{expo}/prices",
        body=PRICES, also=MANAGER_ONLY),
    Row("GET",  "/api/exhibitions/{exhibition_id}/booths",        READ_API, url="/api/exhibitions/{expo}/booths",
        also=READER),
    Row("GET",  "expo/<int:exhibition_id>/booths.json",           "302  200   200  404   403  404   404  404",
        url=EX + "/booths.json", also=MANAGER_ONLY, note="the exchange-format instance names every exhibitor"),
    Row("POST", "expo/<int:exhibition_id>/booths/",               MANAGE_PAGE, url=EX + "/booths/",
        body={"action": "block", "booth": "B11"}, also=MANAGER_ONLY),
    Row("POST", "/api/exhibitions/{exhibition_id}/claims",        "401  201   201  404   403  404   404  404",
        url="/api/exhibitions/{expo}/claims", also=MANAGER_ONLY,
        body=lambda w: {"booth": "A22", "application": w["expo_app_to_bill"], "action": "sell"}),
    Row("POST", "/api/exhibitions/{exhibition_id}/claims/{claim_id}/release", MANAGE_API,
        url="/api/exhibitions/{expo}/claims/{expo_hold}/release", body={"reason": "moved"}, also=MANAGER_ONLY),
    Row("POST", "/api/exhibitions/{exhibition_id}/booths/{code}/block", "401  201   201  404   403  404   404  404",
        url="/api/exhibitions/{expo}/booths/B11/block", body={"reason": "desk"}, also=MANAGER_ONLY),
    Row("POST", "/api/exhibitions/{exhibition_id}/booths/{code}/unblock", MANAGE_API,
        url="/api/exhibitions/{expo}/booths/B12/unblock", also=MANAGER_ONLY),

    # ---------------------------------------- applications: A's members and finance read, managers decide
    Row("GET",  "expo/<int:exhibition_id>/applications/",         READ_PAGE, url=EX + "/applications/", also=READER),
    Row("GET",  "/api/exhibitions/{exhibition_id}/applications",  READ_API,
        url="/api/exhibitions/{expo}/applications", also=READER),
    Row("GET",  "expo/<int:exhibition_id>/applications/<int:app_id>/", READ_PAGE,
        url=EX + "/applications/{expo_app}/", also=READER),
    Row("POST", "expo/<int:exhibition_id>/applications/<int:app_id>/", MANAGE_PAGE,
        url=EX + "/applications/{expo_app_submitted}/", body={"form": "decision", "decision": "accept"},
        also=MANAGER_ONLY, note="decision"),
    Row("POST", "expo/<int:exhibition_id>/applications/<int:app_id>/", "302  302   403  404   403  404   404  404",
        url=EX + "/applications/{expo_app_to_bill}/", body={"form": "bill"}, also={"finance": 302},
        note="bill booth fees: staff and finance officers"),
    Row("POST", "expo/<int:exhibition_id>/applications/<int:app_id>/", "302  403   403  404   403  404   404  404",
        url=EX + "/applications/{expo_app}/", body={"form": "invoice", "kind": "balance"}, also={"finance": 302},
        note="invoice: finance officers alone"),
    Row("GET",  "expo/<int:exhibition_id>/applications/<int:app_id>/documents/<int:doc_id>/", READ_PAGE,
        url=EX + "/applications/{expo_app}/documents/{expo_doc}/", also=READER),
    Row("GET",  "/api/applications/{application_id}",             READ_API, url="/api/applications/{expo_app}",
        also=READER),
    Row("PATCH", "/api/applications/{application_id}",            MANAGE_API, url="/api/applications/{expo_app}",
        body={"priority_points": 7}, also=MANAGER_ONLY),
    Row("POST", "/api/applications/{application_id}/decision",    MANAGE_API,
        url="/api/applications/{expo_app_submitted}/decision", body={"decision": "accept"}, also=MANAGER_ONLY),
    Row("POST", "/api/applications/{application_id}/sales",       MANAGE_API,
        url="/api/applications/{expo_community}/sales", body={"amount_thb": "1250.50"}, also=MANAGER_ONLY),
    Row("POST", "/api/applications/{application_id}/bill",        "401  201   403  404   403  404   404  404",
        url="/api/applications/{expo_app_to_bill}/bill", also={"finance": 201}),
    Row("POST", "/api/applications/{application_id}/invoices",    "401  403   403  404   403  404   404  404",
        url="/api/applications/{expo_app}/invoices", body={"kind": "balance"}, also={"finance": 201}),

    # ---------------------------------------- optimizer runs: managers start and apply, readers follow
    Row("POST", "expo/<int:exhibition_id>/runs/",                 MANAGE_PAGE, url=EX + "/runs/",
        body={"time_limit": 2, "workers": 1}, also=MANAGER_ONLY),
    Row("GET",  "expo/<int:exhibition_id>/runs/<int:run_id>/",    READ_PAGE, url=EX + "/runs/{expo_run}/",
        also=READER),
    Row("GET",  "expo/<int:exhibition_id>/runs/<int:run_id>/progress/", READ_PAGE,
        url=EX + "/runs/{expo_run}/progress/", also=READER),
    Row("POST", "expo/<int:exhibition_id>/runs/<int:run_id>/apply/", MANAGE_PAGE,
        url=EX + "/runs/{expo_run}/apply/", also=MANAGER_ONLY),
    Row("POST", "/api/exhibitions/{exhibition_id}/assignment-runs", "401  201   201  404   403  404   404  404",
        url="/api/exhibitions/{expo}/assignment-runs", body={"time_limit": 2, "workers": 1}, also=MANAGER_ONLY),
    Row("GET",  "/api/assignment-runs/{run_id}",                  READ_API, url="/api/assignment-runs/{expo_run}",
        also=READER),
    Row("POST", "/api/assignment-runs/{run_id}/apply",            MANAGE_API,
        url="/api/assignment-runs/{expo_run}/apply", also=MANAGER_ONLY),

    # ---------------------------------------- the public: apply, the exhibitor list and map
    Row("GET",  "events/<int:pk>/exhibitors/",                    PUBLIC, url="/events/{expo_event}/exhibitors/"),
    Row("GET",  "/api/events/{booking_id}/exhibitors",            PUBLIC, url="/api/events/{expo_event}/exhibitors"),
    Row("GET",  "events/<int:pk>/exhibitors/",                    "404  404   404  404   404  404   404  404",
        url="/events/{expo_free_booking}/exhibitors/", note="a private event has no public list"),
    Row("GET",  "events/<int:pk>/apply/",                         PUBLIC, url="/events/{expo_event}/apply/"),
    Row("POST", "events/<int:pk>/apply/",                         "302  302   302  302   302  302   302  302",
        url="/events/{expo_event}/apply/", body=lambda w: {**_apply_body(w), "booths_wanted": "1"}),
    Row("POST", "/api/exhibitions/{exhibition_id}/applications",  "201  201   201  201   201  201   201  201",
        url="/api/exhibitions/{expo}/applications", body=_apply_body),

    # ---------------------------------------- the exhibitor's own page: its private token is the key
    Row("GET",  "exhibitor/<str:token>/",                         PUBLIC, url="/exhibitor/{expo_token}/"),
    Row("GET",  "exhibitor/<str:token>/",                         "404  404   404  404   404  404   404  404",
        url="/exhibitor/{expo_token}x/", note="a wrong token"),
    Row("POST", "exhibitor/<str:token>/",                         "302  302   302  302   302  302   302  302",
        url="/exhibitor/{expo_token}/", body={"action": "listing"}),
    Row("GET",  "exhibitor/<str:token>/documents/<int:doc_id>/",  PUBLIC,
        url="/exhibitor/{expo_token}/documents/{expo_doc}/"),
    Row("GET",  "exhibitor/<str:token>/documents/<int:doc_id>/",  "404  404   404  404   404  404   404  404",
        url="/exhibitor/{expo_community_token}/documents/{expo_doc}/", note="another exhibitor's token"),
    Row("GET",  "exhibitor/<str:token>/invoices/<int:invoice_id>.pdf", PUBLIC,
        url="/exhibitor/{expo_token}/invoices/{expo_invoice}.pdf"),
    Row("GET",  "exhibitor/<str:token>/invoices/<int:invoice_id>.pdf", "404  404   404  404   404  404   404  404",
        url="/exhibitor/{expo_community_token}/invoices/{expo_invoice}.pdf", note="another exhibitor's token"),
    Row("GET",  "/api/exhibitor/{token}",                         PUBLIC, url="/api/exhibitor/{expo_token}"),
    Row("GET",  "/api/exhibitor/{token}",                         "404  404   404  404   404  404   404  404",
        url="/api/exhibitor/{expo_token}x", note="a wrong token"),
    Row("POST", "/api/exhibitor/{token}/sales",                   PUBLIC,
        url="/api/exhibitor/{expo_community_token}/sales", body={"amount_thb": "980"}),
]


def _space_pk(world: dict) -> int:
    from khuang.venues.models import Space

    return Space.objects.get(code=world["expo_space"]).pk
