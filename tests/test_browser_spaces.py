"""The spaces page in Thai and in English, in a real browser."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_venue(db):
    from khuang.accounts import demo as agencies
    from khuang.venues import demo

    agencies.load()
    return demo.load()


def test_spaces_page_thai_and_english(page, live_server, demo_venue, screenshot_dir, assert_thai_renders):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/spaces/")
    assert page.locator("h1").inner_text().startswith("พื้นที่")
    assert page.get_by_text("ห้องโถงนิทรรศการ A+B+C").first.is_visible()
    assert_thai_renders(page, "h1")
    page.screenshot(path=str(screenshot_dir / "spaces-th.png"), full_page=True)

    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Spaces")
    row = page.locator("tr", has_text="HALL-ABC")
    assert "HALL-A" in row.inner_text() and "HALL-C" in row.inner_text()
    page.screenshot(path=str(screenshot_dir / "spaces-en.png"), full_page=True)


def test_spaces_page_usable_at_phone_width(page, live_server, demo_venue):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/spaces/")
    # The table scrolls inside its wrapper; the page itself does not overflow sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    # Every space is a card: its capacities are on screen, each labelled, with no sideways scrolling.
    row = page.locator("table.space-cards tbody tr", has_text="HALL-AB")
    theatre = row.locator('td[data-label="แบบโรงภาพยนตร์"]').first
    box = theatre.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert theatre.is_visible() and theatre.inner_text().strip() not in ("", "–")
    booths = row.locator("td.num").last.bounding_box()
    assert booths is not None and booths["x"] + booths["width"] <= 390
    assert page.evaluate("document.querySelector('.tablewrap').scrollWidth <= window.innerWidth")
    page.screenshot(path=str(Path(__file__).resolve().parent.parent / "var" / "screens" / "spaces-phone-th.png"),
                    full_page=True)
