"""Numbers, percentages, baht and KPI values as people read them: one rule for pages, XLSX and PDF.

**Rounding rule.** Every figure is rounded *half up on its decimal value*: a float is first taken at its shortest
decimal form (`repr`, what Python prints: 6.45 is "6.45", not the binary 6.4500000000000001776…), then
quantized with `ROUND_HALF_UP` (6.45 → 6.5, 6.5 → 7, 2.675 → 2.68). Never Python's `round()` or `f"{x:.0f}"`
(half-even on the binary value: `f"{6.5:.0f}"` is "6"). This is also what Django's `floatformat` does, so pages
that still use it agree. Selectors that store a rounded figure (a percentage to one decimal) use `round_half_up`
too; a display with fewer digits rounds that stored figure by the same rule, so the dashboard, the PDF, the
workbook and the API always show the same number.

**Grouping.** Thai and English both write 1,165,340.50 (comma thousands, point decimals). What differs by
language is the unit ("บาท" / "THB") and the words for "no data"; those come from the core catalogue.

**Places.** `places >= 0` always shows that many decimals; `places < 0` shows `abs(places)` decimals only when
the value has a fractional part (Django's `floatformat` convention, kept so existing pages read the same).

**Workbooks** keep values numeric; `xlsx_format(unit)` gives the cell's number format with the same places
(Excel rounds for display half away from zero on the decimal value, which for the non-negative figures here is
the same rule).
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from django.utils.translation import gettext as _

ROUNDING = ROUND_HALF_UP
NO_DATA = "–"  # a table cell with nothing to show

Unit = Literal["count", "pct", "baht", "score", "hours", "number"]

# How each kind of figure is shown when the caller does not say: decimals (floatformat convention) and the
# workbook's number format. A score is out of SCORE_MAX.
PLACES: dict[str, int] = {"count": 0, "pct": -1, "baht": 2, "score": 1, "hours": -1, "number": -1}
XLSX_FORMATS: dict[str, str] = {
    "count": "#,##0", "pct": "#,##0.0", "baht": "#,##0.00", "score": "0.0", "hours": "#,##0.0", "number": "#,##0.##",
}
SCORE_MAX = 5

Number = int | float | Decimal | str


def to_decimal(value: Number | None) -> Decimal | None:
    """The decimal value of a number (a float at its shortest repr); None, "" and non-numbers → None."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    try:
        out = Decimal(value) if isinstance(value, int) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None
    return out if out.is_finite() else None


def round_half_up(value: Number, places: int = 0) -> Decimal:
    """`value` rounded half up to `places` decimals (see the module docstring); raises on a non-number."""
    d = to_decimal(value)
    if d is None:
        raise ValueError(f"not a number: {value!r}")
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUNDING)


def round_float(value: float, places: int = 0) -> float:
    """`round_half_up` for selectors that keep floats: 6.45 → 6.5 (Python's round gives 6.5 or 6.4 by chance)."""
    return float(round_half_up(value, places))


def _group(digits: str) -> str:
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return ",".join(out)


def number(value: Number | None, places: int = 0, *, grouping: bool = True, none: str = NO_DATA) -> str:
    """`1,165,340` / `4.17`: the value rounded half up, with thousands separators; `none` when there is no value."""
    d = to_decimal(value)
    if d is None:
        return none
    if places < 0 and d == d.to_integral_value():
        places = 0
    rounded = d.quantize(Decimal(1).scaleb(-abs(places)), rounding=ROUNDING)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):f}"
    whole, _dot, frac = text.partition(".")
    if grouping:
        whole = _group(whole)
    return sign + whole + ("." + frac if frac else "")


def percent(value: Number | None, places: int = PLACES["pct"], *, none: str = NO_DATA) -> str:
    """`43.8%`: a percentage (already ×100) with its sign; `none` when there is no value."""
    text = number(value, places, none="")
    return f"{text}%" if text else none


def baht(value: Number | None, places: int = PLACES["baht"], *, unit: bool = False, none: str = NO_DATA) -> str:
    """`1,165,340.00` (a cell under a "(THB)" heading) or, with `unit`, `1,165,340.00 บาท` / `1,165,340.00 THB`."""
    text = number(value, places, none="")
    if not text:
        return none
    return _("%(amount)s THB") % {"amount": text} if unit else text


def score(value: Number | None, places: int = PLACES["score"], *, none: str = NO_DATA) -> str:
    """`4.2 / 5`: a satisfaction score out of SCORE_MAX."""
    text = number(value, places, none="")
    return f"{text} / {SCORE_MAX}" if text else none


def count(value: Number | None, *, none: str = NO_DATA) -> str:
    """`7,702`: a whole number of things."""
    return number(value, 0, none=none)


def with_unit(value: Number | None, unit: str, places: int | None = None, *, none: str = NO_DATA) -> str:
    """A figure in its unit: percentages with %, baht with บาท/THB, scores out of 5, counts and hours plain."""
    p = PLACES.get(unit, PLACES["number"]) if places is None else places
    if unit == "pct":
        return percent(value, p, none=none)
    if unit == "baht":
        return baht(value, p, unit=True, none=none)
    if unit == "score":
        return score(value, p, none=none)
    return number(value, p, none=none)


def no_data() -> str:
    """The words for a figure that has nothing to be computed from ("no data" / "ไม่มีข้อมูล")."""
    return _("no data")


def xlsx_format(unit: str, places: int | None = None) -> str:
    """The workbook number format of a unit (thousands separators; the same decimals as the pages)."""
    if places is None:
        return XLSX_FORMATS.get(unit, XLSX_FORMATS["number"])
    decimals = "." + ("0" if places > 0 else "#") * abs(places) if places else ""
    return ("0" if unit == "score" else "#,##0") + decimals
