"""A fair in a real browser, in Thai: an exhibitor applies from the event page, staff accept, the optimizer (the
real task worker) assigns the booths, staff bill the fees, the finance officer issues the deposit invoice, and the
exhibitor sees its booth on the map and its invoice; the public exhibitor map on a phone."""

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fair(create_halls, create_agency, create_user, soon, settings, tmp_path):
    """A public fair in HALL-A+B on the demo's floor plan, prices set, two exhibitors already accepted."""
    from khuang.bookings.services import BookingDraft, booking_create
    from khuang.exhibitions import demo, layout, services

    settings.MEDIA_ROOT = tmp_path
    a, b, ab = create_halls(1000, area_sqm=1200, booth_count=60)
    organiser = create_agency("LPG-CHAMBER", name_th="หอการค้าจังหวัดลำปาง", name_en="Lampang Chamber of Commerce")
    staff = create_user("expo-staff", role="center_staff")
    create_user("expo-finance", role="finance_officer")
    booking = booking_create(BookingDraft(
        space=ab, title="มหกรรมเซรามิกล้านนา แฟร์", title_en="Lanna Ceramics Trade Fair",
        start=soon + timedelta(days=21), end=soon + timedelta(days=23, hours=10), setup_minutes=12 * 60,
        status="confirmed", agency=organiser, is_public=True, event_type="trade_fair"), actor=staff)
    doc = demo.layout_for(["HALL-A", "HALL-B"])
    plan = services.floorplan_create(space=ab, name_th="ผังงานแสดงสินค้า ฮอลล์ A+B", width_m=doc["width"],
                                     depth_m=doc["depth"], actor=staff)
    services.floorplan_save_layout(plan, layout.parse_json(doc, width=plan.width_m, depth=plan.depth_m,
                                                           grid=plan.grid_m), actor=staff)
    ex = services.exhibition_create(booking, plan, actor=staff, manual_th=demo.MANUAL_TH, manual_en=demo.MANUAL_EN)
    services.prices_set(ex, [{"price_class": c, "category": k, "price_thb": 3000 + 1000 * i + 500 * j}
                             for i, c in enumerate(("standard", "corner", "premium"))
                             for j, k in enumerate(("community", "sme", "government", "corporate"))], actor=staff)
    for i, row in enumerate(demo.EXHIBITORS[:2], start=1):
        app = services.application_submit(ex, demo._draft(row, i, "browser"))
        services.application_decide(app, "accept", actor=staff)
    return ex


@pytest.fixture
def worker(child_env):
    procs: list[subprocess.Popen] = []

    def start() -> None:
        procs.append(subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))

    yield start
    for proc in procs:
        proc.terminate()
        proc.communicate(timeout=20)


def test_apply_accept_assign_bill_and_the_exhibitor_sees_booth_and_invoice(
        browser, live_server, fair, worker, screenshot_dir, assert_thai_renders, tmp_path):
    from khuang.exhibitions.models import ExhibitorApplication

    ex = fair
    url = live_server.url

    # The exhibitor, without an account, applies from the public event page.
    exhibitor = browser.new_page(viewport={"width": 1280, "height": 900})
    exhibitor.goto(f"{url}/events/{ex.booking_id}/")
    exhibitor.locator("section.exhibition-links a.primary").click()
    exhibitor.wait_for_url("**/apply/")
    assert exhibitor.locator("h1").inner_text() == "สมัครออกบูธ"
    form = exhibitor.locator("form.apply-form")
    form.locator("input[name=company_name]").fill("กลุ่มเซรามิกบ้านป่าตัน")
    form.locator("input[name=contact_name]").fill("คุณบุญศรี ใจดี")
    form.locator("input[name=email]").fill("pa-tan@example.org")
    form.locator("input[name=phone]").fill("081 234 5678")
    form.locator("select[name=province]").select_option("Lampang")
    form.locator("select[name=category]").select_option("community")
    form.locator("input[name=community_reg_no]").fill("5-52-01-01/1-0042")
    form.locator("select[name=otop_stars]").select_option("4")
    form.locator("select[name=product_category]").select_option("ceramics")
    form.locator("textarea[name=products]").fill("ถ้วยชามเคลือบขี้เถ้า เขียนลายมือ")
    form.locator("select[name=booths_wanted]").select_option("2")
    form.locator("select[name=preferred_zone]").select_option("A")
    form.locator("input[name=needs_power]").check()
    pdf = tmp_path / "หนังสือรับรองวิสาหกิจชุมชน.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% demo certificate\n")
    form.locator("input[name=documents]").first.set_input_files(str(pdf))
    assert_thai_renders(exhibitor, "form.apply-form")
    exhibitor.screenshot(path=str(screenshot_dir / "expo-apply-th.png"), full_page=True)
    form.locator("button.primary").click()
    exhibitor.wait_for_url("**/exhibitor/**")
    own_page = exhibitor.url
    assert "ส่งแล้ว" in exhibitor.locator(".status-card").inner_text()  # submitted
    app = ExhibitorApplication.objects.get(email="pa-tan@example.org")
    assert app.documents.count() == 1 and app.priority_points == 5 + 3 + 4

    # Staff accept it on the review page.
    staff = browser.new_page(viewport={"width": 1440, "height": 1000})
    staff.goto(f"{url}/accounts/login/")
    staff.fill("input[name=username]", "expo-staff")
    staff.fill("input[name=password]", "pass-1234")
    staff.click("form button.primary")
    staff.wait_for_load_state()
    staff.goto(f"{url}/expo/{ex.pk}/applications/")
    staff.locator(f"tr[data-app='{app.pk}'] a").click()
    staff.locator("section.decision button[value=accept]").click()
    staff.wait_for_load_state()
    assert staff.locator("h1 .app-status").inner_text() == "ตอบรับแล้ว"  # accepted
    assert_thai_renders(staff, "section.decision")
    staff.screenshot(path=str(screenshot_dir / "expo-review-th.png"), full_page=True)

    # The optimizer assigns the booths (queued, solved by the real worker), staff reserve them.
    staff.goto(f"{url}/expo/{ex.pk}/")
    staff.locator("form.run-form input[name=time_limit]").fill("5")
    staff.locator("form.run-form button.primary").click()
    staff.wait_for_url("**/runs/*/")
    staff.locator(".run-status[data-status=queued]").wait_for()
    worker()
    staff.locator(".run-status[data-status=solved]").wait_for(timeout=90_000)
    staff.locator("table.placed").wait_for()
    mine = staff.locator(f"table.placed tr[data-app='{app.pk}'] td.codes").inner_text().split(", ")
    assert len(mine) == 2 and all(code.startswith("A") for code in mine)  # side by side, in the zone it wanted
    assert "—" not in staff.locator("#progress .figures").inner_text()  # objective, bound and gap shown
    assert_thai_renders(staff, "table.placed")
    staff.screenshot(path=str(screenshot_dir / "expo-run-th.png"), full_page=True)
    staff.locator("form.apply-form button.primary").click()
    staff.wait_for_url(f"**/expo/{ex.pk}/")
    assert staff.locator(f"svg.floorplan g.booth.st-reserved[data-code='{mine[0]}']").count() == 1
    staff.screenshot(path=str(screenshot_dir / "expo-booths-th.png"), full_page=True)

    # Staff bill the booth fees; the finance officer issues the deposit invoice.
    staff.goto(f"{url}/expo/{ex.pk}/applications/{app.pk}/")
    staff.locator("section.money-card button.primary").click()
    staff.wait_for_load_state()
    assert "QT-" in staff.locator("section.money-card").inner_text()
    finance = browser.new_page(viewport={"width": 1440, "height": 1000})
    finance.goto(f"{url}/accounts/login/")
    finance.fill("input[name=username]", "expo-finance")
    finance.fill("input[name=password]", "pass-1234")
    finance.click("form button.primary")
    finance.wait_for_load_state()
    finance.goto(f"{url}/expo/{ex.pk}/applications/{app.pk}/")
    finance.locator("table.instalments tr[data-kind=deposit] button").click()
    finance.wait_for_load_state()
    invoice_number = finance.locator("table.instalments tr[data-kind=deposit] td.invoice").inner_text().strip()
    assert invoice_number.startswith("INV-")

    # The exhibitor sees its booths on the map and the invoice (Thai PDF) on its own page.
    exhibitor.goto(own_page)
    assert sorted(exhibitor.locator(".your-booths .booth-codes").inner_text().split(", ")) == sorted(mine)
    assert exhibitor.locator("svg.floorplan g.booth.mine").count() == 2
    assert invoice_number in exhibitor.locator("section.fees-card").inner_text()
    assert_thai_renders(exhibitor, "section.booth-card")
    assert_thai_renders(exhibitor, "section.fees-card")
    exhibitor.screenshot(path=str(screenshot_dir / "expo-exhibitor-th.png"), full_page=True)
    href = exhibitor.locator("section.fees-card td.invoice a").get_attribute("href")
    res = exhibitor.request.get(f"{url}{href}")
    assert res.ok and res.body().startswith(b"%PDF")

    # The public exhibitor list and map on a phone, searchable by product category.
    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    phone.goto(f"{url}/events/{ex.booking_id}/exhibitors/")
    assert phone.locator(f"svg.floorplan a[href='#exhibitor-{app.pk}']").count() == 2
    phone.locator("select[name=category]").select_option("ceramics")
    phone.locator("form.filters button").click()
    phone.wait_for_load_state()
    assert "กลุ่มเซรามิกบ้านป่าตัน" in phone.locator("ul.exhibitor-list").inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone
    assert_thai_renders(phone, "ul.exhibitor-list")
    phone.screenshot(path=str(screenshot_dir / "expo-public-map-phone-th.png"), full_page=True)


def test_floor_plan_editor_in_thai(page, live_server, fair, login, screenshot_dir, assert_thai_renders):
    page.set_viewport_size({"width": 1440, "height": 1000})
    login(page, "expo-staff")
    page.goto(f"{live_server.url}/expo/plans/{fair.floor_plan_id}/")
    assert page.locator("#editor svg g.booth").count() == 120
    # Draw a booth in the empty corner, give it a code and save through the API.
    page.locator("input[name=tool][value=booth]").check()
    box = page.locator("#editor svg").bounding_box()
    scale = box["width"] / (80 + 2)  # the viewBox is the plan plus a metre each side
    x0, y0 = box["x"] + (1 + 1) * scale, box["y"] + (1 + 26) * scale
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x0 + 3 * scale, y0 + 3 * scale, steps=5)
    page.mouse.up()
    page.locator("#booth-form input[name=code]").fill("X01")
    page.locator("#booth-apply").click()
    with page.expect_response(lambda r: "/layout" in r.url) as saved:
        page.locator("#editor-save").click()
    assert saved.value.ok, saved.value.text()
    page.locator(".plan-wrap svg g.booth[data-code='X01']").wait_for(timeout=15_000)  # the page reloads
    from khuang.exhibitions.models import Booth

    assert Booth.objects.filter(plan_id=fair.floor_plan_id, code="X01").exists()
    assert_thai_renders(page, ".editor-card")
    page.screenshot(path=str(screenshot_dir / "expo-plan-editor-th.png"), full_page=True)
