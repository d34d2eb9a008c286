"""The receipts register as XLSX for the accounting office. Text cells that a spreadsheet would run as a
formula (starting with = + - @, or a tab / carriage return) are written with a leading apostrophe."""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from khuang.core.thaidates import format_date
from khuang.venues.models import Venue

from .selectors import receipts_register

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value safe to put in a spreadsheet cell: formula-like text is neutralised, numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def receipts_register_xlsx(venue: Venue, fy: int) -> bytes:
    """One row per receipt of the fiscal year: number, date, customer, tax ID, invoice, method, amounts."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Receipts %(fy)s") % {"fy": fy}
    header = [_("Receipt"), _("Date"), _("Customer"), _("Tax ID"), _("Invoice"), _("Method"), _("Reference"),
              _("Before VAT (THB)"), _("VAT (THB)"), _("Amount (THB)"), _("Outside system")]
    ws.append(header)
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="EFE9DF")
    total = 0
    for row in receipts_register(venue, fy):
        ws.append([safe_cell(v) for v in (
            row["number"], format_date(row["date"]), row["customer"], row["tax_id"], row["invoice"],
            str(row["method_label"]), row["reference"], float(row["net"]), float(row["vat"]), float(row["amount"]),
            _("yes") if row["external"] else "")])
        total += row["amount"]
    ws.append([_("Total"), None, None, None, None, None, None, None, None, float(total), None])
    for col in ws.columns:
        width = max(len(str(c.value or "")) for c in col)
        ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 10), 50)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
