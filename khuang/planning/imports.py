"""Proposals from Excel, CSV or the JSON exchange format: all rows valid, or nothing is imported.

Headers may be the field name (`days`), its Thai label (`จำนวนวัน`) or both (`จำนวนวัน / days`).
"""

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from khuang.accounts.models import Agency
from khuang.core import thaidates
from khuang.core.errors import ApplicationError, PermissionDeniedError, ValidationFailed
from khuang.core.models import ActivityType, log_actions
from khuang.venues.models import Layout, Space, Venue

from .models import MAX_NOTES, Proposal, ProposalStatus

# field, Thai header, English header, example
COLUMNS = [
    ("ref", "รหัสข้อเสนอ", "Reference", "P-001"),
    ("agency", "รหัสหน่วยงาน", "Agency code", "LPG-IND"),
    ("title_th", "ชื่อกิจกรรม (ไทย)", "Title (Thai)", "งานแสดงสินค้าเซรามิกล้านนา"),
    ("title_en", "ชื่อกิจกรรม (อังกฤษ)", "Title (English)", "Lanna ceramics fair"),
    ("activity_type", "ประเภทกิจกรรม", "Activity type", "trade_fair"),
    ("days", "จำนวนวันจัดงาน", "Event days", 3),
    ("setup_days", "วันติดตั้ง", "Setup days", 1),
    ("teardown_days", "วันรื้อถอน", "Teardown days", 1),
    ("attendees", "จำนวนผู้เข้าร่วม", "Attendees", 800),
    ("layout", "รูปแบบการจัด", "Layout", "booths"),
    ("allowed_spaces", "พื้นที่ที่ใช้ได้", "Allowed spaces", "HALL-A HALL-AB"),
    ("earliest", "เริ่มได้ตั้งแต่", "Earliest", "2027-01-10"),
    ("latest_end", "ต้องจบภายใน", "Latest end", "2027-03-31"),
    ("preferred_months", "เดือนที่ต้องการ", "Preferred months", "11 12 1 2"),
    ("fixed_start", "วันเริ่มที่กำหนด", "Fixed start", ""),
    ("priority", "ลำดับความสำคัญ (1-5)", "Priority (1-5)", 3),
    ("is_public", "เปิดต่อสาธารณะ", "Public", "yes"),
    ("notes", "หมายเหตุ", "Notes", ""),
]
REQUIRED = {"ref", "agency", "title_th", "activity_type", "days"}
HEADER_TO_FIELD: dict[str, str] = {}
for _field, _th, _en, _ex in COLUMNS:
    for label in (_field, _th, _en, f"{_th} / {_en}", f"{_th} / {_field}", f"{_en} / {_th}"):
        HEADER_TO_FIELD[label.strip().lower()] = _field

# Problems that concern no single column, named for people.
_NOT_A_COLUMN = {
    "__all__": gettext_lazy("whole row"), "file": gettext_lazy("file"), "header": gettext_lazy("column headers"),
    "activities": gettext_lazy("activities"), "user": gettext_lazy("user"),
}


def column_label(field: str) -> str:
    """A problem's field as people know it: the column's header (or the proposal field's name) in the active
    language, never the internal name (`latest_end` reads "ต้องจบภายใน" in Thai, "Latest end" in English)."""
    english = (get_language() or "th").startswith("en")
    for name, th, en, _example in COLUMNS:
        if name == field:
            return en if english else th
    if field in _NOT_A_COLUMN:
        return str(_NOT_A_COLUMN[field])
    try:
        return str(Proposal._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


# Limits of one upload, checked before anything is parsed or written (a small .xlsx can unzip to gigabytes).
MAX_IMPORT_BYTES = 5 * 2**20  # the file as sent
MAX_UNPACKED_BYTES = 25 * 2**20  # an .xlsx's contents once unzipped
MAX_ROWS = 5000  # proposals in one file
MAX_SCANNED_ROWS = 20 * MAX_ROWS  # rows read at all, empty ones included
CELL_LIMITS = {"title_th": 200, "title_en": 200, "notes": MAX_NOTES, "ref": 40, "agency": 30}
MAX_CELL = 500  # characters in any other cell


@dataclass
class RowError:
    """One problem: the row (or JSON activity number), the activity's reference when known, and the field."""

    row: int
    field: str
    message: str
    activity: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "activity": self.activity, "field": self.field, "message": self.message}


class ImportRefused(ValidationFailed):
    """Some rows are bad: nothing was imported; `extra["errors"]` names every row and field."""


class ImportTooLarge(ApplicationError):
    """The upload exceeds a size or row limit (named in the message): nothing was read or imported."""

    status_code = 413


def _too_large(message: str, limit: str, field: str = "file") -> ImportTooLarge:
    return ImportTooLarge(message, field=field, extra={"limit": limit})


def check_size(size: int) -> None:
    """Refuse (413) a file over MAX_IMPORT_BYTES."""
    if size > MAX_IMPORT_BYTES:
        raise _too_large(_("The file is larger than %(n)s MB.") % {"n": MAX_IMPORT_BYTES // 2**20},
                         f"{MAX_IMPORT_BYTES} bytes")


def template_workbook() -> bytes:
    """The Excel template: bilingual headers, one example row, and a sheet explaining the columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "proposals"
    ws.append([f"{th} / {en}" for _, th, en, _ in COLUMNS])
    ws.append([ex for *_, ex in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EFE9DF")
    for col in ws.columns:
        ws.column_dimensions[col[0].column_letter].width = 22
    help_ws = wb.create_sheet("help")
    help_ws.append(["field", "คำอธิบาย", "description"])
    help_ws.append(["activity_type", ", ".join(ActivityType.values), ", ".join(ActivityType.values)])
    help_ws.append(["layout", ", ".join(Layout.values), ", ".join(Layout.values)])
    help_ws.append(["allowed_spaces", "รหัสพื้นที่คั่นด้วยเว้นวรรค ว่าง = ทุกพื้นที่ที่รองรับได้",
                    "space codes separated by spaces; empty = any that fits"])
    help_ws.append(["preferred_months", "เลขเดือน 1-12 คั่นด้วยเว้นวรรค", "month numbers 1-12 separated by spaces"])
    help_ws.append(["dates", "วัน/เดือน/ปี เช่น 10/1/2570 (พ.ศ. เมื่อปีเกิน 2400) หรือ YYYY-MM-DD",
                    "day/month/year, e.g. 10/1/2570 (Buddhist Era when the year is above 2400), or YYYY-MM-DD"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_rows(filename: str, content: bytes) -> list[dict[str, Any]]:
    """Rows as {field: raw value} from .xlsx, .csv or exchange-format .json (numbered from 2 for files
    with a header row, from 1 for JSON activities)."""
    name = filename.lower()
    check_size(len(content))
    try:
        if name.endswith(".xlsx"):
            return _xlsx_rows(content)
        if name.endswith(".csv"):
            return _csv_rows(content)
        if name.endswith(".json"):
            return _json_rows(content)
    except (ImportRefused, ImportTooLarge):
        raise
    except Exception as exc:  # a corrupt file is bad input, not a server error
        raise ImportRefused(_("The file could not be read: %(e)s") % {"e": exc}, field="file") from exc
    raise ImportRefused(_("Upload an .xlsx, .csv or .json file."), field="file")


def _map_headers(headers: list[Any]) -> list[str | None]:
    fields = [HEADER_TO_FIELD.get(str(h or "").strip().lower()) for h in headers]
    unknown = [str(h) for h, f in zip(headers, fields, strict=True) if h not in (None, "") and f is None]
    if unknown:
        raise ImportRefused(_("Unknown columns: %(c)s") % {"c": ", ".join(unknown)}, field="header")
    missing = REQUIRED - set(fields)
    if missing:
        raise ImportRefused(_("Missing columns: %(c)s") % {
            "c": ", ".join(column_label(f) for f in sorted(missing))}, field="header")
    return fields


def _too_many_rows() -> ImportTooLarge:
    return _too_large(_("The file has more than %(n)s proposals; split it into several files.") % {
        "n": f"{MAX_ROWS:,}"}, f"{MAX_ROWS} rows")


def _xlsx_rows(content: bytes) -> list[dict[str, Any]]:
    import zipfile

    from openpyxl import load_workbook

    # The zip directory says how big every part unpacks to; a part never yields more than it declares.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise _too_large(_("The workbook unpacks to %(size)s MB; at most %(n)s MB is accepted.") % {
            "size": unpacked // 2**20, "n": MAX_UNPACKED_BYTES // 2**20}, f"{MAX_UNPACKED_BYTES} bytes unpacked")
    ws = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ImportRefused(_("The file is empty."), field="file")
    fields = _map_headers(list(header))
    out = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_SCANNED_ROWS:
            raise _too_many_rows()
        if all(v in (None, "") for v in values):
            continue
        if len(out) == MAX_ROWS:
            raise _too_many_rows()
        out.append({"_row": number, **{f: v for f, v in zip(fields, values, strict=False) if f}})
    return out


def _csv_rows(content: bytes) -> list[dict[str, Any]]:
    text = content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise ImportRefused(_("The file is empty."), field="file")
    fields = _map_headers(header)
    out = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(out) == MAX_ROWS:
            raise _too_many_rows()
        out.append({"_row": number, **{f: v for f, v in zip(fields, values, strict=False) if f}})
    return out


def _json_rows(content: bytes) -> list[dict[str, Any]]:
    data = json.loads(content.decode("utf-8"))
    activities = data.get("activities") if isinstance(data, dict) else None
    if not isinstance(activities, list):
        raise ImportRefused(_("The JSON has no list of activities."), field="activities")
    if len(activities) > MAX_ROWS:
        raise _too_many_rows()
    out = []
    for number, a in enumerate(activities, start=1):
        if not isinstance(a, dict):
            out.append({"_row": number, "_error": _("An activity must be an object.")})
            continue
        out.append({"_row": number, "ref": a.get("id"), "agency": a.get("agency"),
                    "title_th": a.get("title_th") or a.get("title"), "title_en": a.get("title_en") or "",
                    "activity_type": a.get("type"), "layout": a.get("layout"), "is_public": a.get("is_public"),
                    "notes": a.get("notes"),
                    "days": a.get("days"), "setup_days": a.get("setup_days"),
                    "teardown_days": a.get("teardown_days"), "attendees": a.get("attendees"),
                    "allowed_spaces": a.get("allowed_spaces"), "earliest": a.get("earliest"),
                    "latest_end": a.get("latest_end"), "preferred_months": a.get("preferred_months"),
                    "fixed_start": a.get("fixed_start"), "priority": a.get("priority")})
    return out


def _cell_too_long(raw: dict[str, Any], row: int) -> list[RowError]:
    """Cells longer than their column allows, each named with its limit (checked before anything else)."""
    out = []
    for name, value in raw.items():
        if name.startswith("_") or not isinstance(value, str):
            continue
        limit = CELL_LIMITS.get(name, MAX_CELL)
        if len(value) > limit:
            out.append(RowError(row, name, _("%(n)s characters; at most %(limit)s are allowed.") % {
                "n": f"{len(value):,}", "limit": f"{limit:,}"}))
    return out


def _int(value: Any, field: str, errors: list[RowError], row: int, default: int | None = None) -> int | None:
    if value is None or value == "":
        return default
    try:
        if isinstance(value, bool):
            raise ValueError
        number = float(value) if not isinstance(value, int) else value
        if number != int(number):
            raise ValueError
        return int(number)
    except (TypeError, ValueError):
        errors.append(RowError(row, field, _("'%(v)s' is not a whole number.") % {"v": value}))
        return default


def _date(value: Any, field: str, errors: list[RowError], row: int) -> date | None:
    """A date cell: a spreadsheet date, ISO `YYYY-MM-DD`, or day first `d/m/yyyy` where a year above 2400 is
    Buddhist Era (`10/1/2570` → 2027-01-10). Month-first dates are never guessed: `1/10/2570` is 1 October."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        # A BE year typed into a spreadsheet's own date cell (2570-01-10) is still Buddhist Era.
        if value.year > thaidates.BE_YEAR_THRESHOLD:
            return value.replace(year=value.year - thaidates.BE_OFFSET)
        return value
    try:
        if not isinstance(value, str):
            raise ValueError
        return thaidates.parse_date(value)
    except ValueError:
        errors.append(RowError(row, field, _(
            "'%(v)s' is not a date: use day/month/year, e.g. 10/1/2570 (Buddhist Era, a year above 2400) or "
            "10/1/2027, or YYYY-MM-DD.") % {"v": value}))
        return None


def _list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v for v in str(value).replace(",", " ").split() if v]


def _truthy(value: Any) -> bool:
    return str(value or "").strip().lower() in {"1", "yes", "true", "y", "ใช่", "x"}


IMPORTED_FIELDS = ["agency", "title_th", "title_en", "activity_type", "days", "setup_days", "teardown_days",
                   "attendees", "layout", "earliest", "latest_end", "fixed_start", "preferred_months", "priority",
                   "is_public", "notes", "updated_at"]


def proposals_import(*, venue: Venue, fiscal_year: int, filename: str, content: bytes, actor) -> list[Proposal]:
    """Validate every row; if any is bad raise ImportRefused naming each row and field, else save all.

    Limits first (file size, unpacked size, rows: 413 naming the limit; cell lengths: 422 naming row, field and
    limit), then every row is validated without writing, then one short transaction writes them all in bulk, so
    the database's write lock is held for a moment, not for the whole upload.
    """
    if not Proposal.may_create(actor):
        raise PermissionDeniedError(_("Sign in as center staff or an agency planner to import."), field="user")
    rows = read_rows(filename, content)
    if not rows:
        raise ImportRefused(_("The file has no proposals."), field="file")
    prepared, errors = _validate(rows, venue=venue, fiscal_year=fiscal_year, actor=actor)
    refs = {raw["_row"]: str(raw.get("ref") or "").strip() for raw in rows}
    for error in errors:
        error.activity = refs.get(error.row, "")
    if errors:
        raise ImportRefused(
            _("Nothing was imported: %(n)s problems in %(r)s rows.") % {
                "n": len(errors), "r": len({e.row for e in errors})},
            field=f"row {errors[0].row}: {errors[0].field}",
            extra={"errors": [e.as_dict() for e in errors]},
        )
    _write(prepared, actor=actor, filename=filename)
    saved = [p for p, _ in prepared]
    prefetch_related_objects(saved, "allowed_spaces")  # one query, so callers can show them all at once
    return saved


def _validate(rows: list[dict[str, Any]], *, venue: Venue, fiscal_year: int, actor,
              ) -> tuple[list[tuple[Proposal, list[Space]]], list[RowError]]:
    """Every row as an unsaved Proposal (an existing reference keeps its id), or the problems found; reads only."""
    spaces = {s.code: s for s in Space.objects.filter(venue=venue)}
    agencies = {a.code: a for a in Agency.objects.all()}
    existing = {p.ref: p for p in Proposal.objects.filter(venue=venue, fiscal_year=fiscal_year)}
    errors: list[RowError] = []
    prepared: list[tuple[Proposal, list[Space]]] = []
    seen_refs: dict[str, int] = {}
    for raw in rows:
        row = raw["_row"]
        if "_error" in raw:
            errors.append(RowError(row, "activity", raw["_error"]))
            continue
        too_long = _cell_too_long(raw, row)
        if too_long:  # nothing more is read from a row with an oversized cell
            errors += too_long
            continue
        before = len(errors)
        ref = str(raw.get("ref") or "").strip()
        for field in REQUIRED:
            if raw.get(field) in (None, ""):
                errors.append(RowError(row, field, _("This column is required.")))
        if ref in seen_refs:
            errors.append(RowError(row, "ref", _("Reference %(r)s repeats row %(n)s.") % {
                "r": ref, "n": seen_refs[ref]}))
        seen_refs.setdefault(ref, row)
        agency = agencies.get(str(raw.get("agency") or "").strip())
        if raw.get("agency") and agency is None:
            errors.append(RowError(row, "agency", _("Unknown agency %(c)s.") % {"c": raw.get("agency")}))
        if agency and not Proposal.may_create(actor, agency):
            errors.append(RowError(row, "agency", _("Planners import only their own agency's proposals.")))
        allowed_codes = _list(raw.get("allowed_spaces"))
        unknown = [c for c in allowed_codes if c not in spaces]
        if unknown:
            errors.append(RowError(row, "allowed_spaces", _("Unknown space: %(codes)s") % {
                "codes": ", ".join(unknown)}))
        months_raw = _list(raw.get("preferred_months"))
        months = [_int(m, "preferred_months", errors, row) for m in months_raw]
        proposal = Proposal(
            venue=venue, fiscal_year=fiscal_year, ref=ref, agency=agency,
            title_th=str(raw.get("title_th") or "").strip(), title_en=str(raw.get("title_en") or "").strip(),
            activity_type=str(raw.get("activity_type") or "").strip(),
            days=_int(raw.get("days"), "days", errors, row, 1),
            setup_days=_int(raw.get("setup_days"), "setup_days", errors, row, 0),
            teardown_days=_int(raw.get("teardown_days"), "teardown_days", errors, row, 0),
            attendees=_int(raw.get("attendees"), "attendees", errors, row, 0),
            layout=str(raw.get("layout") or "").strip(),
            earliest=_date(raw.get("earliest"), "earliest", errors, row),
            latest_end=_date(raw.get("latest_end"), "latest_end", errors, row),
            fixed_start=_date(raw.get("fixed_start"), "fixed_start", errors, row),
            preferred_months=[m for m in months if m is not None],
            priority=_int(raw.get("priority"), "priority", errors, row, 3),
            is_public=_truthy(raw.get("is_public")), notes=str(raw.get("notes") or ""),
            status=ProposalStatus.SUBMITTED, created_by=actor,
        )
        if len(errors) == before and agency is not None:
            old = existing.get(ref)
            if old is not None:
                if not old.can_edit(actor):
                    errors.append(RowError(row, "ref", _("Reference %(r)s exists and you may not change it.") % {
                        "r": ref}))
                    continue
                # The same reference updates the proposal in place.
                proposal.pk, proposal.created_at, proposal.status = old.pk, old.created_at, old.status
                proposal.created_by_id = old.created_by_id
                proposal._state.adding = False
            try:
                # References are checked above (repeats in the file; existing ones are updated); venue and agency
                # were looked up here, so their per-row existence queries are skipped.
                proposal.full_clean(exclude=["created_by", "venue", "agency"], validate_unique=False,
                                    validate_constraints=False)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        errors.append(RowError(row, field, message))
        if len(errors) == before:
            prepared.append((proposal, [spaces[c] for c in allowed_codes]))
    return prepared, errors


def _write(prepared: list[tuple[Proposal, list[Space]]], *, actor, filename: str) -> None:
    """One short transaction: new proposals inserted and existing ones updated in bulk, their spaces and audit."""
    now = timezone.now()
    new = [p for p, _ in prepared if p._state.adding]
    old = [p for p, _ in prepared if not p._state.adding]
    for p in old:
        p.updated_at = now
    through = Proposal.allowed_spaces.through
    with transaction.atomic():
        Proposal.objects.bulk_create(new, batch_size=500)
        Proposal.objects.bulk_update(old, IMPORTED_FIELDS, batch_size=500)
        through.objects.filter(proposal_id__in=[p.pk for p in old]).delete()
        through.objects.bulk_create([through(proposal_id=p.pk, space_id=s.pk) for p, allowed in prepared
                                     for s in allowed], batch_size=1000)
        log_actions([p for p, _ in prepared], "import", actor=actor, data={"file": filename})
    for p in new:
        p._state.adding = False
