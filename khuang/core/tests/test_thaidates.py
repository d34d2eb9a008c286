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


@pytest.mark.parametrize(("text", "expected"), [
    ("10/1/2570", date(2027, 1, 10)), ("10/01/2570", date(2027, 1, 10)), (" 1-2-2570 ", date(2027, 2, 1)),
    ("31.12.2569", date(2026, 12, 31)), ("10/1/2027", date(2027, 1, 10)), ("2027-01-10", date(2027, 1, 10)),
    ("2570-01-10", date(2027, 1, 10)), ("29/2/2571", date(2028, 2, 29)),
])
def test_parse_date_day_first_with_buddhist_era(text, expected):
    assert thaidates.parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "1/13/2570", "31/2/2570", "10/1/70", "10/1", "2027/1/10x",
                                  "29/2/2570"])
def test_parse_date_refuses_what_is_not_a_day_first_date(text):
    with pytest.raises(ValueError):
        thaidates.parse_date(text)


def test_format_input_date_round_trips():
    assert thaidates.format_input_date(date(2027, 1, 10), "th") == "10/1/2570"
    assert thaidates.format_input_date(date(2027, 1, 10), "en") == "2027-01-10"
    assert thaidates.parse_date(thaidates.format_input_date(date(2026, 12, 5), "th")) == date(2026, 12, 5)


def test_be_date_field_and_widget_follow_the_language():
    from django import forms
    from django.utils import translation

    from khuang.core.forms import BEDateField

    class F(forms.Form):
        day = BEDateField()

    with translation.override("th"):
        html = str(F(initial={"day": date(2027, 1, 10)})["day"])
        assert 'type="text"' in html and 'value="10/1/2570"' in html and "data-be-date" in html
        assert "be-date-pick" in html
        good = F({"day": "10/1/2570"})
        assert good.is_valid() and good.cleaned_data["day"] == date(2027, 1, 10)
        bad = F({"day": "10/13/2570"})
        assert not bad.is_valid() and "10/1/2570" in bad.errors["day"][0]
    with translation.override("en"):
        html = str(F(initial={"day": date(2027, 1, 10)})["day"])
        assert 'type="date"' in html and 'value="2027-01-10"' in html and "be-date-pick" not in html
        assert F({"day": "2027-01-10"}).is_valid()


def test_date_input_tag_for_hand_written_forms():
    template = Template('{% date_input "start" day label="Day" %}')
    with translation.override("th"):
        html = template.render(Context({"day": date(2027, 1, 25)}))
        assert 'value="25/1/2570"' in html and 'aria-label="Day"' in html and "be-date-pick" in html
    with translation.override("en"):
        html = template.render(Context({"day": date(2027, 1, 25)}))
        assert 'type="date"' in html and 'value="2027-01-25"' in html
