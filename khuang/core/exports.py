"""Helpers shared by every CSV and spreadsheet export."""

from typing import Any

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and CR, may shift it into one):
# a registrant named "=HYPERLINK(...)" must come out as text, not as a link or a command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula, prefixed with an apostrophe; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list[Any]:
    """A row of cells, each made safe for spreadsheets."""
    return [spreadsheet_safe(v) for v in values]
