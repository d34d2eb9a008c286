"""The space inventory: everyone reads it; center staff change it."""

from datetime import timedelta

from . import Row


def build(world: dict) -> None:
    from khuang.venues.models import Closure, Space

    room = Space.objects.get(code="ROOM-2")
    far = world["soon"] + timedelta(days=200)
    world["closure"] = Closure.objects.create(space=room, start=far, end=far + timedelta(days=1), reason="paint").pk


def _closure(world: dict) -> dict:
    start = world["soon"] + timedelta(days=100)
    return {"start": start.isoformat(), "end": (start + timedelta(hours=8)).isoformat(), "reason": "repair"}


ROWS = [
    #   method    path / route                           anon staff plan planB view viewB none exec
    Row("GET",    "spaces/",                              "200  200   200  200   200  200   200  200",
        url="/spaces/"),
    Row("GET",    "/api/spaces",                          "200  200   200  200   200  200   200  200"),
    Row("POST",   "/api/spaces",                          "401  201   403  403   403  403   403  403",
        body={"code": "NEW-1", "name_th": "ใหม่", "name_en": "New", "kind": "meeting_room"}),
    Row("GET",    "/api/spaces/{code}",                   "200  200   200  200   200  200   200  200",
        url="/api/spaces/ROOM-1"),
    Row("PATCH",  "/api/spaces/{code}",                   "401  200   403  403   403  403   403  403",
        url="/api/spaces/ROOM-1", body={"notes": "painted"}),
    Row("GET",    "/api/spaces/{code}/closures",          "200  200   200  200   200  200   200  200",
        url="/api/spaces/ROOM-2/closures"),
    Row("POST",   "/api/spaces/{code}/closures",          "401  201   403  403   403  403   403  403",
        url="/api/spaces/ROOM-2/closures", body=_closure),
    Row("DELETE", "/api/closures/{closure_id}",           "401  204   403  403   403  403   403  403",
        url="/api/closures/{closure}"),
]
