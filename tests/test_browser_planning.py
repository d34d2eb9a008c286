"""The planning board in a real browser: the season overlay in Thai, a run started from the page and solved
by the real task worker, live progress, the finished plan, and the plan laid over the board."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent
FY = 2570


@pytest.fixture
def demo(db):
    from khuang.accounts import demo as agencies
    from khuang.planning import demo as proposals
    from khuang.public.services import tourism_seed
    from khuang.venues import demo as venues

    agencies.load()
    venue = venues.load()
    proposals.load()
    tourism_seed()
    return venue


@pytest.fixture
def staff(create_user):
    return create_user("plan-staff", role="center_staff")


@pytest.fixture
def worker(child_env):
    """start() launches the real task worker (manage.py db_worker) on the test database."""
    procs: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        procs.append(subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        ))
        return procs[-1]

    yield start
    for proc in procs:
        proc.terminate()
        proc.communicate(timeout=20)


def test_board_in_thai_run_with_the_worker_and_see_the_plan(page, live_server, login, demo, staff, worker,
                                                            screenshot_dir, assert_thai_renders):
    from khuang.planning.models import Plan

    page.set_viewport_size({"width": 1440, "height": 1000})
    login(page, "plan-staff")
    page.goto(f"{live_server.url}/plan/?fy={FY}&month=2027-02")
    assert page.locator("h1").inner_text().startswith("กระดานวางแผน")
    assert "2570" in page.locator("h1").inner_text()
    assert_thai_renders(page, "h1")
    overlay = page.locator("section.overlay-list").inner_text()
    assert "วันมาฆบูชา" in overlay and "งานขันโตกช้าง" in overlay and "ฤดูหนาว" in overlay
    assert_thai_renders(page, "section.overlay-list")
    assert page.locator('th.day-col.holiday[data-day="2027-02-21"]').count() == 1

    # Start a run from the board; the worker process picks it up and the run page polls its progress.
    polls: list[str] = []
    page.on("response", lambda r: polls.append(r.text()) if "/progress/" in r.url and r.ok else None)
    form = page.locator("form.run-form")
    assert "สัปดาห์ที่มีกิจกรรมเพิ่มขึ้นหนึ่งสัปดาห์ มีค่า 3 คะแนน" in form.inner_text()  # the settings, in words
    assert not form.locator("input[name=time_limit]").is_visible()  # the solver's knobs are "advanced"
    form.locator("details.advanced summary").click()
    form.locator("input[name=time_limit]").fill("6")
    form.locator("input[name=workers]").fill("1")
    form.locator("button.primary").click()
    page.wait_for_url("**/plan/plans/*/")
    plan = Plan.objects.get()
    assert plan.fiscal_year == FY and plan.time_limit == 6
    # Queued until a worker runs: the page says so and keeps polling.
    page.locator("#progress .run-status[data-status=queued]").wait_for()
    page.wait_for_timeout(2500)
    assert len(polls) >= 2 and all("รอตัวประมวลผล" in body for body in polls), polls[:1]
    assert_thai_renders(page, "#progress h2")
    page.screenshot(path=str(screenshot_dir / "plan-run-queued-th.png"), full_page=False)
    worker()
    # When the run ends the page reloads into the finished plan.
    page.locator("#progress .run-status[data-status=solved]").wait_for(timeout=60_000)
    # (no reload by the test: the poll saw the run end and refreshed the page itself)
    page.locator("table.plan-items").wait_for()
    plan.refresh_from_db()
    assert plan.status == "solved" and plan.items.filter(space__isnull=False).exists()
    assert "P-001" in page.locator("table.plan-items").inner_text()
    figures = page.locator("#progress .figures").inner_text()
    assert "—" not in figures.split("เวลาที่ใช้")[0], figures  # the score and how much better a plan could be
    assert "คะแนน" in figures and "แผนที่ดีกว่านี้" in figures
    assert "กิจกรรมที่จัดลงแผน" in page.locator("section.glance").inner_text()
    assert page.locator("#progress svg polyline").count() >= 1
    assert_thai_renders(page, "table.plan-items")
    page.screenshot(path=str(screenshot_dir / "plan-run-th.png"), full_page=True)

    # The board now shows the plan's items beside the diary and the seasons.
    first = plan.items.filter(space__isnull=False).order_by("start").select_related("space").first()
    page.goto(f"{live_server.url}/plan/?fy={FY}&month={first.start:%Y-%m}")
    assert page.locator(f'td[data-space="{first.space.code}"][data-day="{first.start.isoformat()}"] a.chip'
                        ).count() >= 1
    page.screenshot(path=str(screenshot_dir / "plan-board-th.png"), full_page=True)
    page.goto(f"{live_server.url}/plan/?fy={FY}&view=year")
    assert "ไฮซีซัน" in page.locator("table.board-year thead").inner_text()
    page.screenshot(path=str(screenshot_dir / "plan-board-year-th.png"), full_page=True)


def test_results_page_in_thai_and_english_and_compare_on_a_phone(page, live_server, login, demo, staff,
                                                                 screenshot_dir, assert_thai_renders):
    """The demo year solved with the demo settings: the results page read at a glance (screenshots in Thai and
    English), and two versions compared on a phone-sized screen."""
    from khuang.planning import services
    from khuang.planning.models import PlanningSettings

    v1 = services.plan_run_start(venue=demo, fiscal_year=FY, actor=staff, run_now=True, time_limit=20, workers=2)
    ps = PlanningSettings.objects.get(venue=demo)
    assert (ps.week_bonus, ps.oversize_penalty, ps.max_events_per_day, ps.max_moveins_per_day) == (3, 0.5, 3, 2)
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "plan-staff")
    page.goto(f"{live_server.url}/plan/plans/{v1.pk}/")
    glance = page.locator("section.glance")
    text = glance.inner_text()
    assert "กิจกรรมที่จัดลงแผน" in text and "สัปดาห์ที่เหลือ" in text and "ช่วงว่างที่ยาวที่สุด" in text
    assert "2569" in text or "2570" in text  # dates in the Buddhist Era
    assert page.locator(".month-chart li").count() >= 10
    assert_thai_renders(page, "section.glance h2")
    assert_thai_renders(page, "section.glance .score-line")
    glance.screenshot(path=str(screenshot_dir / "plan-results-th.png"))
    page.screenshot(path=str(screenshot_dir / "plan-results-page-th.png"), full_page=True)
    page.goto(f"{live_server.url}/plan/plans/{v1.pk}/?lang=en")
    assert "Events planned" in page.locator("section.glance").inner_text()
    page.locator("section.glance").screenshot(path=str(screenshot_dir / "plan-results-en.png"))

    v2 = services.plan_run_start(venue=demo, fiscal_year=FY, actor=staff, run_now=True, time_limit=3, workers=1,
                                 seed=7)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/plan/plans/compare/?a={v1.pk}&b={v2.pk}&lang=th")
    table = page.locator("table.measures")
    head = table.locator("thead").bounding_box()
    assert head is not None and head["height"] <= 1  # the phone layout: one card per measure, cells labelled
    box = table.bounding_box()
    assert box is not None and box["width"] <= 390  # no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    assert_thai_renders(page, "table.measures th[scope=row]")
    # The activities: what changed first, two short lines each; alike ones folded away. Not 11,000 px tall.
    rows = page.locator("table.compare tbody tr:visible")
    assert page.evaluate("document.documentElement.scrollHeight") <= 3000 + 60 * rows.count()
    page.screenshot(path=str(screenshot_dir.parent / "screens" / "plan-compare-phone-folded-th.png"), full_page=True)
    page.locator("details.unchanged summary").click()
    opened = page.locator("details.unchanged table.compare tbody tr")
    assert opened.count() >= 10 and opened.first.is_visible()
    assert all(opened.nth(i).bounding_box()["height"] <= 70 for i in range(3))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.screenshot(path=str(screenshot_dir / "plan-compare-phone-th.png"), full_page=True)
    page.screenshot(path=str(screenshot_dir.parent / "screens" / "plan-compare-phone-th.png"), full_page=True)
