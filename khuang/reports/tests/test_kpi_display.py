"""KPI bars tell the truth, and the dashboard, the PDF and the workbook show the same rounded figures."""

import io
import re
import shutil
import subprocess

import pytest
from django.utils import translation
from openpyxl import load_workbook

from khuang.reports import display, selectors, services
from khuang.reports.models import Kpi


def _tiles(html: str) -> dict[str, str]:
    tile = re.compile(r'<div class="kpi[^"]*" data-kpi="([a-z_]+)"[^>]*>(.*?)\n  </div>', re.S)
    return {m.group(1): m.group(2) for m in tile.finditer(html)}


def test_tile_bar_is_the_true_share_and_no_data_has_no_bar():
    zero = display.tile_text(selectors.tile(Kpi.REVENUE, 0.0, 1_500_000.0))
    assert zero["bar_width"] == "0.0" and zero["progress_text"] == "0%" and zero["met"] is False
    part = display.tile_text(selectors.tile(Kpi.EVENTS, 7, 20.0))
    assert part["bar_width"] == "35.0" and part["value_text"] == "7"
    over = display.tile_text(selectors.tile(Kpi.HIGH_SEASON, 100.0, 40.0))
    assert over["bar_width"] == "100.0" and over["progress_text"] == "250%" and over["met"] is True
    none = display.tile_text(selectors.tile(Kpi.SATISFACTION, None, 4.2))
    assert none["bar_width"] is None and none["value_text"] == "–" and none["no_data"]
    no_target = display.tile_text(selectors.tile(Kpi.SATISFACTION, 4.5, None))
    assert no_target["bar_width"] is None and no_target["value_text"] == "4.50 / 5"
    with translation.override("en"):
        nothing = display.tile_text(selectors.tile(Kpi.SATISFACTION, None, None))
    assert nothing["bar_width"] is None and nothing["target_line"] == "no target set · no data yet"
    with translation.override("th"):
        nothing = display.tile_text(selectors.tile(Kpi.SATISFACTION, None, None))
    assert nothing["target_line"] == "ยังไม่กำหนดเป้าหมาย · ยังไม่มีข้อมูล"


@pytest.mark.parametrize(("lang", "words"), [
    ("th", {"revenue": "เป้าหมาย 1,500,000 บาท · ทำได้ 0% ของเป้าหมาย",
            "satisfaction": "เป้าหมาย 4.20 / 5 · ยังไม่มีข้อมูล",
            "events": "เป้าหมาย 1 · ทำได้ 200% ของเป้าหมาย", "util": "เป้าหมาย 60% · "}),
    ("en", {"revenue": "target 1,500,000 THB · 0% of it reached",
            "satisfaction": "target 4.20 / 5 · no data yet",
            "events": "target 1 · 200% of it reached", "util": "target 60% · "}),
])
def test_dashboard_bars_for_zero_no_data_and_over_target(create_space, create_booking, bkk, venue, staff_user,
                                                         client, lang, words):
    room = create_space("R")
    create_booking(space=room, start=bkk(2027, 1, 15, 9), hours=8)
    create_booking(space=room, start=bkk(2027, 1, 16, 9), hours=8)
    for kpi, target in (("revenue_thb", 1_500_000), ("satisfaction", 4.2), ("events", 1),
                        ("utilization_pct", 60)):
        services.target_set(venue, 2570, kpi, target, actor=staff_user)
    client.force_login(staff_user)
    html = client.get(f"/reports/2570/?lang={lang}").content.decode()
    tiles = _tiles(html)
    revenue, satisfaction, events = tiles["revenue_thb"], tiles["satisfaction"], tiles["events"]
    assert 'style="width:0.0%"' in revenue and words["revenue"] in revenue          # 0 %: an empty bar
    assert 'class="bar' not in satisfaction and words["satisfaction"] in satisfaction  # no data: no bar
    assert '<div class="v">–</div>' in satisfaction and "kpi nodata" in html
    assert 'style="width:100.0%"' in events and words["events"] in events          # over target: full, met
    assert 'class="bar miss"' not in events and words["util"] in tiles["utilization_pct"]
    assert "· %" not in html and " · %" not in html                                 # no unit-less labels


@pytest.fixture
def rounding_case(create_space, create_booking, bkk, venue, staff_user):
    """Figures that land on a half: revenue 1,234.50 baht, satisfaction (4 + 4.25) / 2 = 4.125."""
    room = create_space("R")
    b1 = create_booking(space=room, start=bkk(2026, 1, 15, 9), hours=8)
    b2 = create_booking(space=room, start=bkk(2026, 2, 15, 9), hours=8)
    services.actual_record(b1, attendance=10, revenue_thb="1000.25", satisfaction=4, actor=staff_user)
    services.actual_record(b2, attendance=10, revenue_thb="234.25", satisfaction="4.25", actor=staff_user)
    services.target_set(venue, 2569, "revenue_thb", 2469, actor=staff_user)  # 1,234.5 / 2,469 = 50 %
    services.target_set(venue, 2569, "satisfaction", 4, actor=staff_user)
    return venue


def test_selectors_round_half_up(rounding_case):
    report = selectors.kpi_report(2569, rounding_case.code)
    tiles = {t["key"]: t for t in report["tiles"]}
    assert tiles["satisfaction"]["value"] == 4.13  # Python's round(4.125, 2) gives 4.12
    assert tiles["revenue_thb"]["value"] == 1234.5


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")
def test_dashboard_and_pdf_show_the_same_rounded_figures(rounding_case, client, staff_user, tmp_path):
    client.force_login(staff_user)
    html = client.get("/reports/2569/?lang=th").content.decode()
    tiles = _tiles(html)
    pdf = client.get("/reports/2569/ministry.pdf")
    (tmp_path / "r.pdf").write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    for key, shown in (("revenue_thb", "1,235 บาท"), ("satisfaction", "4.13 / 5"), ("events", "2")):
        assert f'<div class="v">{shown}</div>' in tiles[key], key
    assert re.search(r"1,235 บาท\s+2,469 บาท\s+50%", text), text[:2000]
    assert re.search(r"4\.13 / 5\s+4\.00 / 5\s+103\.3%", text)
    assert "1234.5" not in text and "1,234.5 " not in text
    # The previous-year column is formatted too (FY 2568 had nothing: dashes and zeros, never "0.0").
    assert not re.search(r"\b\d{4,}\.\d\b", text)


def test_ministry_xlsx_number_formats_and_the_weeks_row(rounding_case, client, staff_user):
    client.force_login(staff_user)
    wb = load_workbook(io.BytesIO(client.get("/reports/2569/ministry.xlsx?lang=th").content))
    summary = wb[wb.sheetnames[0]]
    rows = {r[0].value: r for r in summary.iter_rows(min_row=2)}
    revenue = rows["รายได้ (บาท)"]
    assert revenue[1].value == 1234.5 and revenue[1].number_format == "#,##0"     # numbers stay numbers
    assert revenue[2].value == 2469 and revenue[2].number_format == "#,##0"
    assert revenue[3].value == 50.0 and revenue[3].number_format == "#,##0.0"
    assert rows["ความพึงพอใจ (1–5)"][1].number_format == "0.00"
    assert rows["อัตราการใช้พื้นที่ (ร้อยละ)"][1].number_format == "#,##0.0"
    weeks = next(r for label, r in rows.items() if str(label).startswith("สัปดาห์ที่ไม่มีกิจกรรม"))
    report = selectors.kpi_report(2569, rounding_case.code)
    assert weeks[0].value == f"สัปดาห์ที่ไม่มีกิจกรรม (จาก {report['activities']['weeks_total']} สัปดาห์)"
    assert weeks[1].value == report["activities"]["weeks_without_event"] and weeks[1].number_format == "#,##0"
    money = wb["รายได้"]
    cells = [c for row in money.iter_rows(min_row=2) for c in row[1:] if isinstance(c.value, float | int)]
    assert cells and all(c.number_format == "#,##0.00" for c in cells)


def test_heatmap_cells_round_like_the_dashboard(monkeypatch):
    """The PDF's heatmap (a picture) and the dashboard's table round a cell the same way: 6.5 % → 7, not 6."""
    from django.template import Context, Template
    from matplotlib.axes import Axes

    from khuang.reports import charts

    drawn: list[str] = []
    real = Axes.text
    monkeypatch.setattr(Axes, "text", lambda self, x, y, s, *a, **kw: drawn.append(s) or real(self, x, y, s, *a, **kw))
    months = [6.5, 0.5, 2.45, None] + [0.0] * 8
    report = {"utilization": {"spaces": [{"code": "HALL-C", "months": months}]},
              "months": [{"label": str(i)} for i in range(12)]}
    charts.utilization_heatmap(report)
    page = Template("{% for v in months %}{{ v|num }} {% endfor %}").render(Context({"months": months})).split()
    assert drawn[:4] == page[:4] == ["7", "1", "2", "–"]
