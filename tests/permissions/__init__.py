"""The permission matrix: every page and API operation × every kind of caller → the status they must get.

Each app keeps its own table in `rows_<app>.py` beside this file:

    ROWS = [
        #   method  path or route                       anon staff plan planB view viewB none exec
        Row("GET",  "/api/bookings/{booking_id}", "401  200   200  404   200  404   404  404",
            url="/api/bookings/{booking}"),
    ]
    def build(world): ...   # optional: add the objects the app's rows need to the shared world

- API rows name the operation as the OpenAPI schema does (`/api/...` with `{param}`); page rows name the URL-conf
  route (`diary/bookings/<int:booking_id>/`). `url` is what is requested, `{name}` filled from the world.
- The eight statuses are for the PERSONAS below, in that order. Agency-owned objects of the world belong to
  agency A ("own"); planB and viewB belong to agency B ("other"); `none` is a viewer with no agency.
- `test_matrix.py` lists every URL pattern and every operation of the OpenAPI schema: an endpoint without a row
  (or a row without an endpoint) fails the test. A new app adds `rows_<app>.py`; nothing else changes.
- A new role joins as an entry of EXTRA_PERSONAS: who it is, and which persona it behaves like by default; rows
  where it differs say so with `also={"finance": 200}`. The eight columns never change.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PERSONAS = ("anon", "staff", "planner", "planner_b", "viewer", "viewer_b", "viewer_none", "executive")
# Who each signed-in persona is: role, agency ("A" owns the world's objects, "B" is another agency), admin flag.
PEOPLE = {
    "staff": {"role": "center_staff", "agency": None, "is_staff": True},
    "planner": {"role": "agency_planner", "agency": "A"},
    "planner_b": {"role": "agency_planner", "agency": "B"},
    "viewer": {"role": "viewer", "agency": "A"},
    "viewer_b": {"role": "viewer", "agency": "B"},
    "viewer_none": {"role": "viewer", "agency": None},
    "executive": {"role": "executive", "agency": None},
}
# Roles added later: name → {"like": persona whose column it follows unless a row's `also` says otherwise, and the
# person's role, agency and admin flag as in PEOPLE}.
EXTRA_PERSONAS: dict[str, dict[str, Any]] = {
    # Reads every agency's bookings and the reports, issues the money documents; books and plans nothing.
    "finance": {"like": "executive", "role": "finance_officer", "agency": None},
}


@dataclass(frozen=True)
class Row:
    """One endpoint called by every persona, and the status each must get."""

    method: str
    path: str  # API: the OpenAPI path; pages: the URL-conf route
    expect: str  # eight statuses in PERSONAS order
    url: str | None = None  # what to request (defaults to `path`), `{world key}` placeholders filled in
    body: dict[str, Any] | Callable[[dict], dict[str, Any]] | None = None  # JSON (API) or form fields (pages)
    files: Callable[[dict], dict[str, Any]] | None = None  # multipart uploads: {field: (name, bytes)}
    note: str = ""
    also: dict[str, int] = field(default_factory=dict)  # statuses of EXTRA_PERSONAS that differ from their "like"

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    def statuses(self) -> dict[str, int]:
        codes = self.expect.split()
        assert len(codes) == len(PERSONAS), f"{self.method} {self.path}: {len(codes)} statuses for 8 personas"
        out = dict(zip(PERSONAS, (int(c) for c in codes), strict=True))
        for name, spec in EXTRA_PERSONAS.items():
            out[name] = self.also.get(name, out[spec["like"]])
        return out

    @property
    def id(self) -> str:
        return f"{self.method} {self.url or self.path}" + (f" [{self.note}]" if self.note else "")
