"""The one number formatter: half-up rounding on the decimal value, grouping, units in Thai and English."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from khuang.core import numformat as nf


@pytest.mark.parametrize(("value", "places", "text"), [
    (6.5, 0, "7"), (7.5, 0, "8"), (0.5, 0, "1"),           # half up, never half-even
    (6.45, 1, "6.5"), (2.675, 2, "2.68"),                    # the decimal value, not the binary one
    (Decimal("1165340.0"), 0, "1,165,340"), (1165340.0, 2, "1,165,340.00"),
    (1234567.891, -2, "1,234,567.89"), (4.0, -1, "4"), (34.5, -2, "34.50"),  # floatformat's negative places
    (-1234.5, 0, "-1,235"), (0, 0, "0"), ("12.5", 0, "13"), (999, 0, "999"),
])
def test_number_rounds_half_up_and_groups(value, places, text):
    assert nf.number(value, places) == text


def test_no_value_is_a_dash_not_a_zero():
    assert nf.number(None) == nf.percent(None) == nf.baht(None) == nf.score(None) == "–"
    assert nf.number("", 0) == nf.number("abc") == nf.number(float("nan")) == "–"
    assert nf.number(None, none="") == ""


def test_round_half_up_is_the_selectors_rule():
    assert nf.round_half_up(6.45, 1) == Decimal("6.5")
    assert nf.round_float(100 * 13 / 200, 0) == 7.0  # 6.5 → 7; round(6.5) would give 6
    assert round(6.5) == 6 and f"{6.5:.0f}" == "6"  # why Python's own rounding is not used
    with pytest.raises(ValueError):
        nf.round_half_up(None)


@pytest.mark.parametrize(("lang", "money", "no_data"), [("th", "1,165,340.00 บาท", "ไม่มีข้อมูล"),
                                                        ("en", "1,165,340.00 THB", "no data")])
def test_units_in_both_languages(lang, money, no_data):
    with translation.override(lang):
        assert nf.baht(1165340, unit=True) == money
        assert nf.baht(1165340) == "1,165,340.00"  # the unit is in the column heading
        assert nf.with_unit(43.75, "pct") == "43.8%"
        assert nf.with_unit(4.17, "score") == "4.2 / 5"
        assert nf.with_unit(7702, "count") == "7,702"
        assert nf.with_unit(None, "baht") == "–"
        assert nf.no_data() == no_data


def test_xlsx_formats_follow_the_same_places():
    assert nf.xlsx_format("baht") == "#,##0.00" and nf.xlsx_format("count") == "#,##0"
    assert nf.xlsx_format("pct") == "#,##0.0" and nf.xlsx_format("baht", 0) == "#,##0"
    assert nf.xlsx_format("score") == "0.0"


@pytest.mark.parametrize(("lang", "unit"), [("th", "บาท"), ("en", "THB")])
def test_template_filters(lang, unit):
    tpl = Template('{{ a|num }}|{{ a|num:2 }}|{{ p|pct }}|{{ p|pct:0 }}|{{ a|baht }}|{{ a|baht_unit:0 }}|'
                   '{{ s|score }}|{{ n|pct }}|{{ p|in_unit:"pct" }}')
    with translation.override(lang):
        out = tpl.render(Context({"a": 1165340.5, "p": 6.5, "s": Decimal("4.17"), "n": None}))
    assert out == f"1,165,341|1,165,340.50|6.5%|7%|1,165,340.50|1,165,341 {unit}|4.2 / 5|–|6.5%"


def test_same_as_floatformat_where_pages_used_it():
    """Pages moved from `floatformat` keep their text (it also rounds half up on the decimal value)."""
    for value in (0, 1.5, 2.5, 1165340.0, Decimal("1234.565"), Decimal("99.995"), 12.0, 0.05):
        for fmt, places in (('"0g"', 0), ('"2g"', 2), ('"-1g"', -1), ('"-2g"', -2)):
            with translation.override("th"):
                expected = Template("{{ v|floatformat:" + fmt + " }}").render(Context({"v": value}))
            assert nf.number(value, places) == expected, (value, fmt)
