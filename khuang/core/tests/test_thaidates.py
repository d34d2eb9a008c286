from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from khuang.core import thaidates


def test_buddhist_era_short_and_full():
    assert thaidates.format_date(date(2027, 2, 3)) == "3 ก.พ. 2570"
    assert thaidates.format_date(date(2027, 2, 3), full=True) == "3 กุมภาพันธ์ 2570"
    assert thaidates.format_date(date(2027, 2, 3), "en") == "3 Feb 2027"


@pytest.mark.parametrize(
    ("day", "fy"),
    [(date(2026, 9, 30), 2569), (date(2026, 10, 1), 2570), (date(2027, 9, 30), 2570), (date(2027, 1, 1), 2570)],
)
def test_fiscal_year_turns_on_first_of_october(day, fy):
    assert thaidates.fiscal_year(day) == fy


def test_fiscal_year_bounds_and_quarters():
    assert thaidates.fiscal_year_bounds(2570) == (date(2026, 10, 1), date(2027, 9, 30))
    assert [thaidates.fiscal_quarter(date(2027, m, 1)) for m in (10, 12, 1, 4, 7, 9)] == [1, 1, 2, 3, 4, 4]
    assert thaidates.parse_fiscal_year("2027") == 2570
    with pytest.raises(ValueError):
        thaidates.parse_fiscal_year("57")


def test_template_filter_follows_language_and_local_time():
    # 20:00 UTC on 2 Feb is already 3 Feb in Bangkok.
    value = datetime(2027, 2, 2, 20, 0, tzinfo=ZoneInfo("UTC"))
    tpl = Template("{{ v|be_date }}|{{ v|be_date:'full' }}|{{ v|fiscal_year }}")
    with translation.override("th"):
        assert tpl.render(Context({"v": value})) == "3 ก.พ. 2570|3 กุมภาพันธ์ 2570|2570"
    with translation.override("en"):
        assert tpl.render(Context({"v": value})).startswith("3 Feb 2027|3 February 2027")


def test_nul_characters_are_refused_with_a_clear_error(client, db):
    res = client.get("/api/spaces", {"kind": "hall\x00"}, HTTP_ACCEPT_LANGUAGE="en")
    assert res.status_code == 400
    assert res.json() == {"detail": "Text may not contain NUL (\\0) characters.", "field": "kind"}


def test_fiscal_months_run_october_to_september():
    months = thaidates.fiscal_months(2570)
    assert months[0] == date(2026, 10, 1) and months[3] == date(2027, 1, 1) and months[-1] == date(2027, 9, 1)
    assert len(months) == 12 and all(m.day == 1 for m in months)

