"""The floor-plan layout format (docs/FLOORPLANS.md): one JSON document — or a CSV with one row per item — used
by the grid editor, imports and exports. Parsing is strict and all-or-nothing: the first bad item is named by
its row (CSV line or list position) and field, in the request's language."""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from khuang.core.errors import ValidationFailed

from .models import BoothType, FeatureKind

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
CLASS_RE = re.compile(r"^[a-z0-9_-]{1,20}$")
CSV_COLUMNS = ("kind", "code", "x", "y", "width", "depth", "type", "power", "water", "zone", "price_class",
               "prime", "label")
MAX_ITEMS = 5000
TOL = Decimal("0.001")
TRUE = {"true", "yes", "y", "1", "x", "ใช่", "มี"}
FALSE = {"false", "no", "n", "0", "", "ไม่", "ไม่มี"}


class LayoutError(ValidationFailed):
    """A layout that cannot be saved as written; `field` is e.g. `booths[3].x`, `extra.row` the CSV line."""


@dataclass
class Rect:
    x: Decimal
    y: Decimal
    width: Decimal
    depth: Decimal

    @property
    def x2(self) -> Decimal:
        return self.x + self.width

    @property
    def y2(self) -> Decimal:
        return self.y + self.depth

    def overlaps(self, other: "Rect") -> bool:
        return (min(self.x2, other.x2) - max(self.x, other.x) > TOL
                and min(self.y2, other.y2) - max(self.y, other.y) > TOL)

    def inside(self, other: "Rect") -> bool:
        return (self.x >= other.x - TOL and self.y >= other.y - TOL and self.x2 <= other.x2 + TOL
                and self.y2 <= other.y2 + TOL)


@dataclass
class BoothRow(Rect):
    code: str = ""
    kind: str = BoothType.INLINE
    power: bool = False
    water: bool = False
    zone: str = ""
    price_class: str = "standard"
    prime: bool = False


@dataclass
class FeatureRow(Rect):
    kind: str = FeatureKind.AISLE
    label: str = ""


@dataclass
class PartRow(Rect):
    space: str = ""


@dataclass
class Layout:
    width: Decimal
    depth: Decimal
    grid: Decimal
    booths: list[BoothRow] = field(default_factory=list)
    features: list[FeatureRow] = field(default_factory=list)
    parts: list[PartRow] = field(default_factory=list)


def _fail(message: str, where: str, row: int | None = None) -> LayoutError:
    if row is not None:
        message = _("Row %(row)s, %(field)s: %(message)s") % {"row": row, "field": where.rsplit(".", 1)[-1],
                                                               "message": message}
    return LayoutError(message, field=where, extra={"row": row} if row is not None else None)


def _dec(value: Any, where: str, row: int | None, *, positive: bool = False) -> Decimal:
    if isinstance(value, bool) or value is None or value == "":
        raise _fail(_("a number of metres is required"), where, row)
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise _fail(_("%(value)s is not a number") % {"value": str(value)[:20]}, where, row) from None
    if not number.is_finite() or number > 100000:
        raise _fail(_("at most %(n)s metres") % {"n": 100000}, where, row)
    if number < 0 or (positive and number <= 0):
        raise _fail(_("must be a number of metres above zero") if positive else _("may not be negative"), where, row)
    return number.quantize(Decimal("0.01"))


def _flag(value: Any, where: str, row: int | None) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise _fail(_("use yes or no, got %(value)s") % {"value": str(value)[:20]}, where, row)


def _text(value: Any, where: str, row: int | None, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise _fail(_("expected text"), where, row)
    text = str(value).strip()
    if len(text) > limit:
        raise _fail(_("at most %(n)s characters") % {"n": limit}, where, row)
    return text


def _rect(raw: dict, prefix: str, row: int | None) -> dict:
    return {"x": _dec(raw.get("x"), f"{prefix}.x", row), "y": _dec(raw.get("y"), f"{prefix}.y", row),
            "width": _dec(raw.get("width"), f"{prefix}.width", row, positive=True),
            "depth": _dec(raw.get("depth"), f"{prefix}.depth", row, positive=True)}


def _booth(raw: dict, prefix: str, row: int | None) -> BoothRow:
    code = _text(raw.get("code"), f"{prefix}.code", row, 20)
    if not CODE_RE.match(code):
        raise _fail(_("a booth code is 1–20 Latin letters or digits (and . _ -), e.g. A01"), f"{prefix}.code", row)
    kind = _text(raw.get("type"), f"{prefix}.type", row, 12) or BoothType.INLINE
    if kind not in BoothType.values:
        raise _fail(_("use one of %(choices)s") % {"choices": ", ".join(BoothType.values)}, f"{prefix}.type", row)
    price_class = _text(raw.get("price_class"), f"{prefix}.price_class", row, 20) or "standard"
    if not CLASS_RE.match(price_class):
        raise _fail(_("a price class is lower-case letters, digits, _ or -"), f"{prefix}.price_class", row)
    return BoothRow(**_rect(raw, prefix, row), code=code, kind=kind,
                    power=_flag(raw.get("power"), f"{prefix}.power", row),
                    water=_flag(raw.get("water"), f"{prefix}.water", row),
                    zone=_text(raw.get("zone"), f"{prefix}.zone", row, 30), price_class=price_class,
                    prime=_flag(raw.get("prime"), f"{prefix}.prime", row))


def _feature(raw: dict, prefix: str, row: int | None) -> FeatureRow:
    kind = _text(raw.get("kind"), f"{prefix}.kind", row, 12)
    if kind not in FeatureKind.values:
        raise _fail(_("use one of %(choices)s") % {"choices": ", ".join(FeatureKind.values)}, f"{prefix}.kind", row)
    return FeatureRow(**_rect(raw, prefix, row), kind=kind, label=_text(raw.get("label"), f"{prefix}.label", row, 40))


def _part(raw: dict, prefix: str, row: int | None) -> PartRow:
    space = _text(raw.get("space") if "space" in raw else raw.get("code"), f"{prefix}.space", row, 30)
    if not space:
        raise _fail(_("name the part's space code"), f"{prefix}.space", row)
    return PartRow(**_rect(raw, prefix, row), space=space)


def parse_json(data: Any, *, width: Decimal, depth: Decimal, grid: Decimal) -> Layout:
    """A layout from the JSON document (width, depth and grid default to the plan's)."""
    if not isinstance(data, dict):
        raise LayoutError(_("The layout is a JSON object with booths, features and parts."), field="body")
    layout = Layout(
        width=_dec(data["width"], "width", None, positive=True) if data.get("width") is not None else width,
        depth=_dec(data["depth"], "depth", None, positive=True) if data.get("depth") is not None else depth,
        grid=_dec(data["grid"], "grid", None, positive=True) if data.get("grid") is not None else grid,
    )
    for key, parse, target in (("booths", _booth, layout.booths), ("features", _feature, layout.features),
                               ("parts", _part, layout.parts)):
        items = data.get(key) or []
        if not isinstance(items, list):
            raise LayoutError(_("%(key)s must be a list.") % {"key": key}, field=key)
        if len(items) > MAX_ITEMS:
            raise LayoutError(_("At most %(n)s items.") % {"n": MAX_ITEMS}, field=key)
        for i, raw in enumerate(items):
            if not isinstance(raw, dict):
                raise LayoutError(_("Each item is an object."), field=f"{key}[{i}]")
            target.append(parse(raw, f"{key}[{i}]", None))
    return layout


def parse_csv(text: str, *, width: Decimal, depth: Decimal, grid: Decimal) -> Layout:
    """A layout from CSV (header row: kind,code,x,y,width,depth,…); rows are numbered as a spreadsheet shows them."""
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("kind", "x", "y", "width", "depth") if c not in header]
    if missing:
        raise LayoutError(_("The CSV header lacks the columns: %(cols)s.") % {"cols": ", ".join(missing)},
                          field="header", extra={"row": 1})
    layout = Layout(width=width, depth=depth, grid=grid)
    for line, raw in enumerate(reader, start=2):
        raw = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(raw.values()):
            continue
        if line > MAX_ITEMS + 1:
            raise LayoutError(_("At most %(n)s items.") % {"n": MAX_ITEMS}, field="rows")
        kind = raw.get("kind", "").lower()
        if kind == "booth":
            layout.booths.append(_booth(raw, f"rows[{line}]", line))
        elif kind == "part":
            layout.parts.append(_part(raw, f"rows[{line}]", line))
        elif kind in FeatureKind.values:
            layout.features.append(_feature(raw, f"rows[{line}]", line))
        else:
            raise _fail(_("kind is booth, aisle, obstacle, entrance or part"), f"rows[{line}].kind", line)
    return layout


def parse_text(text: str, fmt: str, **plan) -> Layout:
    """A layout from an uploaded file's text: `json` or `csv`."""
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LayoutError(_("The file is not valid JSON: %(msg)s at line %(line)s.") % {
                "msg": exc.msg, "line": exc.lineno}, field="file", extra={"row": exc.lineno}) from None
        return parse_json(data, **plan)
    if fmt == "csv":
        return parse_csv(text, **plan)
    raise LayoutError(_("The format is json or csv."), field="format")


def validate(layout: Layout, part_codes: list[str]) -> None:
    """Everything inside the plan, no booth over another booth or a feature, each part placed once and every
    booth inside one part (combined spaces); `part_codes` are the space's atomic parts (empty when atomic)."""
    plan = Rect(Decimal(0), Decimal(0), layout.width, layout.depth)
    booths = [("booths", i, b) for i, b in enumerate(layout.booths)]
    features = [("features", i, f) for i, f in enumerate(layout.features)]
    for key, i, item in [*booths, *features, *[("parts", i, p) for i, p in enumerate(layout.parts)]]:
        if not item.inside(plan):
            raise LayoutError(_("%(what)s lies outside the %(w)s × %(d)s m plan.") % {
                "what": _label(key, i, item), "w": layout.width, "d": layout.depth}, field=f"{key}[{i}].x")
    seen: dict[str, int] = {}
    for i, b in enumerate(layout.booths):
        if b.code in seen:
            raise LayoutError(_("Booth code %(code)s is used twice.") % {"code": b.code}, field=f"booths[{i}].code")
        seen[b.code] = i
    ordered = sorted(booths, key=lambda t: (t[2].x, t[2].y))
    for n, (_k, _i, a) in enumerate(ordered):
        for _k2, j, b in ordered[n + 1:]:
            if b.x >= a.x2 - TOL:
                break
            if a.overlaps(b):
                raise LayoutError(_("Booth %(a)s overlaps booth %(b)s.") % {"a": b.code, "b": a.code},
                                  field=f"booths[{j}].x")
    for _k, i, b in booths:
        for _k2, j, f in features:
            if f.kind != FeatureKind.ENTRANCE and b.overlaps(f):
                raise LayoutError(_("Booth %(code)s stands on %(what)s.") % {"code": b.code,
                                                                              "what": _label("features", j, f)},
                                  field=f"booths[{i}].x")
    if not part_codes:
        if layout.parts:
            raise LayoutError(_("Only a combined space's plan places parts."), field="parts")
        return
    listed = [p.space for p in layout.parts]
    if sorted(listed) != sorted(part_codes):
        raise LayoutError(_("Place each part of the combined space once: %(parts)s.") % {
            "parts": ", ".join(part_codes)}, field="parts")
    for i, p in enumerate(layout.parts):
        for j in range(i + 1, len(layout.parts)):
            if p.overlaps(layout.parts[j]):
                raise LayoutError(_("Parts %(a)s and %(b)s overlap.") % {"a": p.space, "b": layout.parts[j].space},
                                  field=f"parts[{j}].x")
    for i, b in enumerate(layout.booths):
        if not any(b.inside(p) for p in layout.parts):
            raise LayoutError(_("Booth %(code)s does not lie inside one part of the hall.") % {"code": b.code},
                              field=f"booths[{i}].x")


def _label(key: str, i: int, item) -> str:
    if key == "booths":
        return _("Booth %(code)s") % {"code": item.code}
    if key == "parts":
        return _("Part %(code)s") % {"code": item.space}
    return _("%(kind)s %(n)s") % {"kind": FeatureKind(item.kind).label, "n": i + 1}


def part_of(layout_parts: list[dict], x: float, y: float) -> str:
    """The space code of the part holding point (x, y), '' when none."""
    for p in layout_parts:
        if p["x"] <= x <= p["x"] + p["width"] and p["y"] <= y <= p["y"] + p["depth"]:
            return p["space"]
    return ""


def to_json(plan) -> dict[str, Any]:
    """A saved plan as the layout document (what the editor loads and the export writes)."""
    return {
        "width": float(plan.width_m), "depth": float(plan.depth_m), "grid": float(plan.grid_m),
        "parts": [dict(p) for p in plan.parts_layout],
        "booths": [{"code": b.code, "x": float(b.x), "y": float(b.y), "width": float(b.width),
                    "depth": float(b.depth), "type": b.kind, "power": b.power, "water": b.water, "zone": b.zone,
                    "price_class": b.price_class, "prime": b.prime} for b in plan.booths.all()],
        "features": [{"kind": f.kind, "x": float(f.x), "y": float(f.y), "width": float(f.width),
                      "depth": float(f.depth), "label": f.label} for f in plan.features.all()],
    }


def to_csv(plan) -> str:
    """A saved plan as CSV rows (UTF-8 with a BOM so spreadsheet programs read Thai labels)."""
    doc = to_json(plan)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    yn = {True: "yes", False: "no"}
    for p in doc["parts"]:
        writer.writerow(["part", p["space"], p["x"], p["y"], p["width"], p["depth"], "", "", "", "", "", "", ""])
    for f in doc["features"]:
        writer.writerow([f["kind"], "", f["x"], f["y"], f["width"], f["depth"], "", "", "", "", "", "", f["label"]])
    for b in doc["booths"]:
        writer.writerow(["booth", b["code"], b["x"], b["y"], b["width"], b["depth"], b["type"], yn[b["power"]],
                         yn[b["water"]], b["zone"], b["price_class"], yn[b["prime"]], ""])
    return out.getvalue()
