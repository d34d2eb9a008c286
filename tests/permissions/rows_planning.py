"""The annual plan: staff run and approve it; planners propose for their own agency; agency viewers read their own;
executives and people without an agency are refused, on the pages and over the API alike."""

from datetime import timedelta

from . import Row


def build(world: dict) -> None:
    from khuang.planning.models import Plan, PlanItem, PlanStatus, Proposal
    from khuang.venues.models import Space, Venue

    venue = Venue.objects.get(code=world["venue"])
    a, fy = world["agency_a"], world["fy"]

    def proposal(ref: str, status: str) -> Proposal:
        return Proposal.objects.create(venue=venue, agency=a, fiscal_year=fy, ref=ref, title_th=f"ข้อเสนอ {ref}",
                                       activity_type="seminar", days=1, attendees=50, status=status)

    world["proposal"] = proposal("P-DRAFT", "draft").pk
    submitted = proposal("P-SUB", "submitted")
    world["proposal_sub"] = submitted.pk

    def plan(version: int, status: str) -> Plan:
        return Plan.objects.create(venue=venue, fiscal_year=fy, version=version, status=status, objective=10.0)

    solved = plan(1, PlanStatus.SOLVED)
    world["plan"], world["plan2"] = solved.pk, plan(2, PlanStatus.SOLVED).pk
    world["plan_queued"] = plan(3, PlanStatus.QUEUED).pk
    day = (world["soon"] + timedelta(days=60)).date()
    world["item"] = PlanItem.objects.create(plan=solved, proposal=submitted, space=Space.objects.get(code="ROOM-2"),
                                            start=day).pk


def _proposal_body(world: dict, **extra) -> dict:
    return {"fiscal_year": world["fy"], "ref": "P-NEW", "title_th": "ข้อเสนอใหม่", "activity_type": "seminar",
            "days": 1, **extra}


def _import_file(world: dict) -> dict:
    header = "ref,agency,title_th,activity_type,days\n"
    return {"file": ("proposals.csv", (header + "P-IMP,AG-A,นำเข้า,seminar,1\n").encode())}


SOLVE = {"horizon": {"start": "2027-01-01", "end": "2027-01-10"},
         "spaces": [{"code": "R", "name": "R", "capacity": 100, "parts": []}],
         "activities": [{"id": "A", "title": "A", "type": "seminar", "days": 1, "attendees": 10}]}

ROWS = [
    #   method   path / route                                          anon staff plan planB view viewB none exec
    Row("GET",   "/api/proposals",                                     "401  200   200  200   200  200   403  403",
        also={"finance": 200}),
    Row("POST",  "/api/proposals",                                     "401  201   201  403   403  403   403  403",
        body=lambda w: _proposal_body(w, agency="AG-A"), note="for agency A"),
    Row("POST",  "/api/proposals",                                     "401  400   201  201   403  403   403  403",
        body=_proposal_body, note="no agency named"),
    Row("GET",   "/api/proposals/template.xlsx",                       "401  200   200  200   403  403   403  403"),
    Row("GET",   "/api/proposals/{proposal_id}",                       "401  200   200  404   200  404   404  404",
        url="/api/proposals/{proposal}", also={"finance": 200}),
    Row("PATCH", "/api/proposals/{proposal_id}",                       "401  200   200  404   403  404   404  404",
        url="/api/proposals/{proposal}", body={"title_th": "แก้ไข"}, also={"finance": 403}),
    Row("POST",  "/api/proposals/{proposal_id}/submit",                "401  200   200  404   403  404   404  404",
        url="/api/proposals/{proposal}/submit", body={}, also={"finance": 403}),
    Row("POST",  "/api/proposals/{proposal_id}/withdraw",              "401  200   200  404   403  404   404  404",
        url="/api/proposals/{proposal_sub}/withdraw", body={}, also={"finance": 403}),
    Row("POST",  "/api/proposals/{proposal_id}/decline",               "401  200   403  404   403  404   404  404",
        url="/api/proposals/{proposal_sub}/decline", body={}, also={"finance": 403}),
    Row("POST",  "/api/proposals/import",                              "401  201   201  422   403  403   403  403",
        url="/api/proposals/import?venue={venue}", body=lambda w: {"fiscal_year": w["fy"], "venue": w["venue"]},
        files=_import_file),
    Row("POST",  "/api/plans",                                         "401  201   403  403   403  403   403  403",
        body=lambda w: {"fiscal_year": w["fy"], "venue": w["venue"]}),
    Row("GET",   "/api/plans",                                         "401  200   200  200   200  200   403  403",
        also={"finance": 200}),
    Row("GET",   "/api/plans/{plan_id}",                               "401  200   200  200   200  200   403  403",
        url="/api/plans/{plan}", also={"finance": 200}),
    Row("POST",  "/api/plans/{plan_id}/stop",                          "401  200   403  403   403  403   403  403",
        url="/api/plans/{plan_queued}/stop"),
    Row("POST",  "/api/plans/{plan_id}/resolve",                       "401  201   403  403   403  403   403  403",
        url="/api/plans/{plan}/resolve", body={}),
    Row("PATCH", "/api/plans/{plan_id}/items/{ref}",                   "401  200   403  403   403  403   403  403",
        url="/api/plans/{plan}/items/P-SUB", body={"pin_space": True}),
    Row("GET",   "/api/plans/{plan_id}/compare/{other_id}",            "401  200   200  200   200  200   403  403",
        url="/api/plans/{plan}/compare/{plan2}", also={"finance": 200}),
    Row("GET",   "/api/plans/{plan_id}/approval",                      "401  200   403  403   403  403   403  403",
        url="/api/plans/{plan}/approval"),
    Row("POST",  "/api/plans/{plan_id}/restart",                       "401  409   403  403   403  403   403  403",
        url="/api/plans/{plan}/restart", note="a finished run: only a lost one restarts"),
    Row("POST",  "/api/plans/{plan_id}/approve",                       "401  200   403  403   403  403   403  403",
        url="/api/plans/{plan}/approve"),
    Row("POST",  "/api/plan/solve",                                    "401  200   403  403   403  403   403  403",
        url="/api/plan/solve?time_limit=1&workers=1", body=SOLVE),
    Row("GET",   "plan/",                                              "302  200   200  200   200  200   403  403",
        url="/plan/", also={"finance": 200}),
    Row("GET",   "plan/proposals/",                                    "302  200   200  200   200  200   403  403",
        url="/plan/proposals/", also={"finance": 200}),
    Row("GET",   "plan/proposals/new/",                                "302  200   200  200   403  403   403  403",
        url="/plan/proposals/new/"),
    Row("GET",   "plan/proposals/template.xlsx",                       "302  200   200  200   403  403   403  403",
        url="/plan/proposals/template.xlsx"),
    Row("GET",   "plan/proposals/import/",                             "302  200   200  200   403  403   403  403",
        url="/plan/proposals/import/"),
    Row("GET",   "plan/proposals/<int:proposal_id>/",                  "302  200   200  404   200  404   404  404",
        url="/plan/proposals/{proposal}/", also={"finance": 200}),
    Row("POST",  "plan/proposals/<int:proposal_id>/<slug:status>/",    "302  302   302  404   403  404   404  404",
        url="/plan/proposals/{proposal}/submitted/", also={"finance": 403}),
    Row("POST",  "plan/runs/",                                         "302  302   403  403   403  403   403  403",
        url="/plan/runs/?venue={venue}&fy={fy}",
        body={"time_limit": 5, "seed": 0, "continuity_weight": 0, "workers": 1}),
    Row("GET",   "plan/plans/compare/",                                "302  200   200  200   200  200   403  403",
        url="/plan/plans/compare/?a={plan}&b={plan2}", also={"finance": 200}),
    Row("GET",   "plan/plans/<int:plan_id>/",                          "302  200   200  200   200  200   403  403",
        url="/plan/plans/{plan}/", also={"finance": 200}),
    Row("GET",   "plan/plans/<int:plan_id>/progress/",                 "302  200   200  200   200  200   403  403",
        url="/plan/plans/{plan}/progress/", also={"finance": 200}),
    Row("POST",  "plan/plans/<int:plan_id>/stop/",                     "302  302   403  403   403  403   403  403",
        url="/plan/plans/{plan_queued}/stop/"),
    Row("POST",  "plan/plans/<int:plan_id>/resolve/",                  "302  302   403  403   403  403   403  403",
        url="/plan/plans/{plan}/resolve/"),
    Row("POST",  "plan/plans/<int:plan_id>/approve/",                  "302  302   403  403   403  403   403  403",
        url="/plan/plans/{plan}/approve/"),
    Row("POST",  "plan/plans/<int:plan_id>/restart/",                  "302  302   403  403   403  403   403  403",
        url="/plan/plans/{plan}/restart/", note="a finished run: refused with a message"),
    Row("GET",   "plan/settings/",                                     "302  200   200  200   200  200   403  403",
        url="/plan/settings/", also={"finance": 200}),
    Row("POST",  "plan/settings/",                                     "302  302   403  403   403  403   403  403",
        url="/plan/settings/", body={"week_bonus": 3, "oversize_penalty": 0.5}),
    Row("POST",  "plan/plans/<int:plan_id>/items/<int:item_id>/pin/",  "302  302   403  403   403  403   403  403",
        url="/plan/plans/{plan}/items/{item}/pin/", body={"space": "ROOM-2", "pin_space": "on"}),
]
