"""Buddhist-Era date formatting and the Thai fiscal year (1 Oct – 30 Sep, named by its BE end year)."""

from datetime import date, datetime, timedelta

BE_OFFSET = 543
MONTHS_TH_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_TH_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
MONTHS_EN_FULL = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS_EN_SHORT = tuple(m[:3] for m in MONTHS_EN_FULL)
WEEKDAYS_TH_SHORT = ("จ.", "อ.", "พ.", "พฤ.", "ศ.", "ส.", "อา.")
WEEKDAYS_EN_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def be_year(value: date) -> int:
    """The Buddhist-Era year of a date (CE + 543)."""
    return value.year + BE_OFFSET


def format_date(value: date | datetime | None, lang: str = "th", full: bool = False) -> str:
    """`3 ก.พ. 2570` (Thai, BE) or `3 Feb 2027` (English, CE); `full` spells the month out."""
    if value is None:
        return ""
    if lang.startswith("th"):
        months = MONTHS_TH_FULL if full else MONTHS_TH_SHORT
        return f"{value.day} {months[value.month - 1]} {be_year(value)}"
    months = MONTHS_EN_FULL if full else MONTHS_EN_SHORT
    return f"{value.day} {months[value.month - 1]} {value.year}"


# A four-digit year above this is Buddhist Era (CE years stay far below it; BE 2400 = CE 1857).
BE_YEAR_THRESHOLD = 2400


def parse_date(text: str) -> date:
    """A date typed by a person or read from a file: ISO `YYYY-MM-DD`, or day first `d/m/yyyy` (also `d-m-yyyy`,
    `d.m.yyyy`). A year above 2400 is Buddhist Era and becomes CE (`10/1/2570` → 2027-01-10); raises
    ValueError otherwise. Day first is the Thai convention; month-first US dates are never guessed."""
    value = (text or "").strip()
    if not value:
        raise ValueError("empty date")
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        year, month, day = (int(x) for x in value.split("-"))
    else:
        for sep in "/-.":
            if sep in value:
                parts = value.split(sep)
                break
        else:
            raise ValueError(f"not a date: {value!r}")
        if len(parts) != 3 or not all(p.strip().isdigit() for p in parts) or len(parts[2].strip()) != 4:
            raise ValueError(f"not a date: {value!r}")
        day, month, year = (int(p) for p in parts)
    if year > BE_YEAR_THRESHOLD:
        year -= BE_OFFSET
    return date(year, month, day)


def format_input_date(value: date | None, lang: str = "th") -> str:
    """A date as a date input shows it: `10/1/2570` (Thai, day first, BE) or ISO `2027-01-10` (English)."""
    if value is None:
        return ""
    if lang.startswith("th"):
        return f"{value.day}/{value.month}/{be_year(value)}"
    return value.isoformat()


def format_month(year: int, month: int, lang: str = "th") -> str:
    """`กุมภาพันธ์ 2570` or `February 2027`."""
    if lang.startswith("th"):
        return f"{MONTHS_TH_FULL[month - 1]} {year + BE_OFFSET}"
    return f"{MONTHS_EN_FULL[month - 1]} {year}"


def fiscal_year(value: date) -> int:
    """The Thai fiscal year (BE) a date falls in: 1 Oct 2026 – 30 Sep 2027 is FY 2570."""
    return value.year + BE_OFFSET + (1 if value.month >= 10 else 0)


def fiscal_year_bounds(fy_be: int) -> tuple[date, date]:
    """First and last day (inclusive) of a fiscal year given by its BE number."""
    end_ce = fy_be - BE_OFFSET
    return date(end_ce - 1, 10, 1), date(end_ce, 9, 30)


def fiscal_quarter(value: date) -> int:
    """Quarter of the fiscal year: Q1 = Oct–Dec … Q4 = Jul–Sep."""
    return (value.month - 10) % 12 // 3 + 1


def parse_fiscal_year(text: str | int) -> int:
    """Accepts `2570` (BE) or `2027` (CE, the year the fiscal year ends) and returns the BE number."""
    year = int(text)
    if 2400 <= year <= 2800:
        return year
    if 1900 <= year <= 2250:
        return year + BE_OFFSET
    raise ValueError(f"{text} is not a fiscal year (use the Buddhist-Era year, e.g. 2570)")


def daterange(start: date, end: date):
    """Every date from start to end inclusive."""
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)
