"""Demo fairs at the DIPROM MICE CENTER (idempotent; every figure illustrative).

* Floor plans of the full hall (HALL-ABC: parts A, B and C) and of HALL-A+B, drawn from the same block pattern:
  per hall three blocks of booths back to back along 3-m aisles, a main aisle with the entrance at the front.
* Last fiscal year's Lampang Ceramic Fair (the reports' FY 2569 booking in HALL-ABC): its exhibitors, booths sold,
  and the sales community and OTOP exhibitors recorded afterwards — they feed the community supplementary-income
  project.
* The coming Lanna Ceramics Trade Fair (the public demo event in HALL-AB): applications open, some accepted and
  placed by the optimizer, some waiting or waitlisted; two exhibitors billed for their booths.

Loading again changes nothing: plans are found by space and name, exhibitions by booking, applications by e-mail,
and booths are only assigned when an exhibition has none yet.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from khuang.accounts.models import User
from khuang.bookings.models import Booking
from khuang.core.errors import ApplicationError
from khuang.core.models import log_action
from khuang.venues.models import Space, Venue

from . import layout, services
from .models import ApplicationStatus, Exhibition, ExhibitorApplication, FloorPlan

BOOTH = 3
# part code, width and depth of its region on the plan (m), booths per row
HALLS = {"HALL-A": (40, 30, 10), "HALL-B": (40, 30, 10), "HALL-C": (27, 30, 7)}
PRICES = {"standard": 4500, "corner": 5500, "premium": 6500}
CATEGORY_FACTOR = {"community": Decimal("0.35"), "sme": Decimal("1"), "corporate": Decimal("2"),
                   "government": Decimal("0.7")}
MANUAL_TH = ("เข้าติดตั้งบูธได้ตั้งแต่ 08:00 น. ของวันก่อนเปิดงาน และต้องรื้อถอนให้เสร็จภายใน 20:00 น. ของวันปิดงาน\n"
             "บูธมีโต๊ะ 1 ตัว เก้าอี้ 2 ตัว ไฟส่องสว่าง 2 ดวง และเต้ารับไฟฟ้า 1 จุด (5 แอมป์) สำหรับบูธที่มีไฟฟ้า\n"
             "ห้ามใช้เตาแก๊สในอาคาร ติดต่อฝ่ายจัดงานที่โต๊ะประชาสัมพันธ์หน้าฮอลล์ A")
MANUAL_EN = ("Move in from 08:00 the day before opening; move out by 20:00 on the closing day.\n"
             "Each booth has a table, two chairs, two lights and, where marked, one 5 A socket.\n"
             "No gas stoves indoors. The organiser's desk is at the front of Hall A.")

# name (Thai), name (English), province, category, product, booths, type, zone, power, water, OTOP stars
EXHIBITORS = [
    ("อินทราเซรามิก", "Indra Ceramic", "Lampang", "corporate", "ceramics", 4, "island", "A", True, False, None),
    ("ธนบดีเซรามิก", "Dhanabadee Ceramic", "Lampang", "corporate", "ceramics", 4, "corner", "A", True, False, None),
    ("บ้านศาลาบัวบก", "Ban Sala Buakbok", "Lampang", "community", "ceramics", 1, "", "A", False, False, 4),
    ("บ้านศาลาแม่ทา", "Ban Sala Mae Tha", "Lampang", "community", "ceramics", 1, "", "A", False, False, 3),
    ("เซรามิกเกาะคา", "Ko Kha Ceramic Group", "Lampang", "community", "ceramics", 2, "", "A", True, False, 5),
    ("ลำปางเบญจรงค์", "Lampang Benjarong", "Lampang", "sme", "ceramics", 2, "corner", "A", True, False, None),
    ("ชามไก่ลำปาง", "Lampang Rooster Bowl", "Lampang", "sme", "ceramics", 2, "", "A", True, False, None),
    ("เคลือบดินเผาแม่เมาะ", "Mae Moh Glazes", "Lampang", "sme", "industrial", 1, "", "B", True, False, None),
    ("ผ้าทอเกาะคา", "Ko Kha Weavers", "Lampang", "community", "textiles", 1, "", "B", False, False, 3),
    ("ผ้าไหมยกดอกลำพูน", "Lamphun Brocade Silk", "Lamphun", "community", "textiles", 2, "corner", "B", True,
     False, 5),
    ("ผ้าฝ้ายป่าซาง", "Pa Sang Cotton", "Lamphun", "community", "textiles", 1, "", "B", False, False, 4),
    ("แกะสลักไม้บ้านถวาย", "Ban Thawai Woodcarving", "Chiang Mai", "community", "wood", 2, "", "B", True, False,
     4),
    ("ร่มบ่อสร้าง", "Bo Sang Umbrellas", "Chiang Mai", "community", "handicraft", 1, "corner", "B", False, False,
     5),
    ("เครื่องเขินเชียงใหม่", "Chiang Mai Lacquerware", "Chiang Mai", "sme", "handicraft", 1, "", "B", True, False,
     None),
    ("ข้าวแต๋นแม่วรรณ", "Mae Wan Rice Crackers", "Lampang", "community", "food", 1, "", "C", True, True, 4),
    ("ลำไยอบแห้งลำพูน", "Lamphun Dried Longan", "Lamphun", "community", "agriculture", 1, "", "C", False, False, 3),
    ("กาแฟดอยแม่ตะมาน", "Mae Taman Coffee", "Chiang Mai", "sme", "food", 1, "corner", "C", True, True, None),
    ("สมุนไพรล้านนา", "Lanna Herbs", "Lampang", "sme", "herbal", 1, "", "C", True, False, None),
    ("เฟอร์นิเจอร์ไม้สักแพร่", "Phrae Teak Furniture", "Phrae", "sme", "wood", 3, "", "C", True, False, None),
    ("ศูนย์ส่งเสริมอุตสาหกรรมภาคที่ 1", "Industrial Promotion Center Region 1", "Chiang Mai", "government",
     "services", 2, "corner", "A", True, False, None),
    ("ศูนย์วิจัยวัสดุสร้างสรรค์", "Creative Materials R&D Center", "Lampang", "government", "services", 1, "",
     "B", True, False, None),
    ("เตาเผาไฟฟ้าล้านนา", "Lanna Electric Kilns", "Chiang Mai", "corporate", "industrial", 2, "", "C", True, False,
     None),
]
COMPETITORS = [("Indra Ceramic", "Dhanabadee Ceramic"), ("Lampang Benjarong", "Lampang Rooster Bowl")]
# Sales the community exhibitors recorded after last year's fair (THB).
PAST_SALES = {"Ban Sala Buakbok": 38500, "Ban Sala Mae Tha": 24200, "Ko Kha Ceramic Group": 61750,
              "Ko Kha Weavers": 15800, "Lamphun Brocade Silk": 47300, "Pa Sang Cotton": 12900,
              "Ban Thawai Woodcarving": 29400, "Bo Sang Umbrellas": 18650, "Mae Wan Rice Crackers": 22100,
              "Lamphun Dried Longan": 9400}


def _staff() -> User:
    staff = User.objects.filter(role=User.Role.CENTER_STAFF, is_active=True).order_by("pk").first()
    if staff:
        return staff
    user, _created = User.objects.get_or_create(username="khuang-demo", defaults={
        "role": User.Role.CENTER_STAFF, "is_active": False})
    return user


def layout_for(parts: list[str]) -> dict:
    """The demo layout over the given hall parts, side by side: blocks of booths, aisles, an entrance each."""
    booths, features, regions = [], [], []
    x0 = 0
    for code in parts:
        width, depth, per_row = HALLS[code]
        zone = code[-1]
        regions.append({"space": code, "x": x0, "y": 0, "width": width, "depth": depth})
        features.append({"kind": "aisle", "x": x0, "y": 0, "width": width, "depth": 4, "label": "Main aisle"})
        features.append({"kind": "entrance", "x": x0 + width / 2 - 3, "y": 0, "width": 6, "depth": 1,
                         "label": f"Entrance {zone}"})
        left = x0 + (width - per_row * BOOTH) / 2
        n = 0
        for block, y in enumerate((5, 14, 23)):
            for row in range(2):
                for col in range(per_row):
                    n += 1
                    end = col in (0, per_row - 1)
                    prime = block == 0 and row == 0
                    booths.append({
                        "code": f"{zone}{n:02d}", "x": left + col * BOOTH, "y": y + row * BOOTH, "width": BOOTH,
                        "depth": BOOTH, "type": "corner" if end else "inline", "power": not (block == 2 and row == 1
                                                                                              and not end),
                        "water": end and block == 2, "zone": zone, "prime": prime,
                        "price_class": "premium" if prime else ("corner" if end else "standard"),
                    })
            if block < 2:
                features.append({"kind": "aisle", "x": x0, "y": y + 2 * BOOTH, "width": width, "depth": 3,
                                 "label": ""})
        x0 += width
    return {"width": x0, "depth": 30, "grid": 1, "parts": regions, "booths": booths, "features": features}


def _plan(space: Space, name_th: str, name_en: str, actor) -> FloorPlan:
    plan = FloorPlan.objects.filter(space=space, name_th=name_th).first()
    if plan is not None:
        return plan
    doc = layout_for([p.code for p in sorted(space.atomic_parts(), key=lambda s: s.code)])
    plan = services.floorplan_create(space=space, name_th=name_th, name_en=name_en, width_m=doc["width"],
                                     depth_m=doc["depth"], actor=actor)
    data = layout.parse_json(doc, width=plan.width_m, depth=plan.depth_m, grid=plan.grid_m)
    return services.floorplan_save_layout(plan, data, actor=actor)


def _exhibition(booking: Booking, plan: FloorPlan, actor, **settings) -> Exhibition:
    ex = Exhibition.objects.filter(booking=booking).first()
    if ex is None:
        ex = services.exhibition_create(booking, plan, actor=actor, manual_th=MANUAL_TH, manual_en=MANUAL_EN,
                                        **settings)
        services.prices_set(ex, [{"price_class": cls, "category": cat, "price_thb": (base * f).quantize(Decimal(1))}
                                 for cls, base in PRICES.items() for cat, f in CATEGORY_FACTOR.items()], actor=actor)
    return ex


def _draft(row, i: int, fair: str) -> services.ApplicationDraft:
    th, en, province, category, product, booths, kind, zone, power, water, stars = row
    return services.ApplicationDraft(
        company_name=th, company_name_en=en, contact_name="ผู้ประสานงาน (ตัวอย่าง)",
        email=f"{fair}-{i:02d}@example.org", phone=f"08{i % 10} 555 {1000 + i:04d}", province=province,
        category=category, product_category=product, booths_wanted=booths, booth_type=kind, preferred_zone=zone,
        needs_power=power, needs_water=water, otop_stars=stars,
        community_reg_no=f"5-52-0{i % 9 + 1}-01/1-{i:04d}" if category == "community" else "",
        products="สินค้าตัวอย่างสำหรับการสาธิต" if i % 2 else "")


def _link_competitors(ex: Exhibition, actor) -> None:
    by_name = {a.company_name_en: a for a in ex.applications.all()}
    for a, b in COMPETITORS:
        if a in by_name and b in by_name and not by_name[a].avoid.filter(pk=by_name[b].pk).exists():
            services.application_update(by_name[a], {}, actor=actor, avoid=[by_name[b].pk])


def _past_fair(venue: Venue, actor) -> None:
    """Last fiscal year's Lampang Ceramic Fair: exhibitors with sold booths and their recorded sales."""
    booking = Booking.objects.filter(space__venue=venue, title="ลำปางเซรามิกแฟร์").order_by("start").first()
    if booking is None or booking.start > timezone.now():
        return
    plan = _plan(booking.space, "ผังงานแสดงสินค้า ฮอลล์ A+B+C", "Trade fair plan, Hall A+B+C", actor)
    ex = _exhibition(booking, plan, actor, applications_open=False, community_prime_quota=6)
    for i, row in enumerate(EXHIBITORS, start=1):
        draft = _draft(row, i, "ceramicfair2568")
        if ex.applications.filter(email=draft.email).exists():
            continue
        # History entered after the event: the public form is long closed, so the rows are written directly.
        app = ExhibitorApplication.objects.create(
            exhibition=ex, **{k: getattr(draft, k) for k in (
                "company_name", "company_name_en", "contact_name", "email", "phone", "province", "category",
                "community_reg_no", "otop_stars", "product_category", "products", "booths_wanted", "booth_type",
                "needs_power", "needs_water", "preferred_zone")},
            status=ApplicationStatus.ACCEPTED, priority_points=services.default_priority(draft),
            decided_at=booking.start - timedelta(days=30))
        log_action(app, "import", actor=actor, to_state=app.status, reason="demo history")
    _link_competitors(ex, actor)
    if not ex.claims.exists():
        run = services.run_start(ex, actor=actor, time_limit=5, workers=1, run_now=True)
        if run.status == "solved":
            services.run_apply(run, actor=actor)
        for claim in ex.claims.filter(status="reserved").select_related("application", "booth"):
            services.claim_sell(ex, claim.booth.code, claim.application, actor=actor, reason="demo history")
    for app in ex.applications.filter(category="community", sales_thb__isnull=True):
        if app.company_name_en in PAST_SALES and app.claims.exists():
            services.sales_record(app, PAST_SALES[app.company_name_en], actor=actor)


def _coming_fair(venue: Venue, actor) -> None:
    """The coming Lanna Ceramics Trade Fair: open applications, some placed by the optimizer, two billed."""
    booking = Booking.objects.filter(space__venue=venue, title="มหกรรมเซรามิกล้านนา แฟร์", is_public=True).first()
    if booking is None or booking.start <= timezone.now():
        return
    plan = _plan(booking.space, "ผังงานแสดงสินค้า ฮอลล์ A+B", "Trade fair plan, Hall A+B", actor)
    deadline = max(timezone.localdate() + timedelta(days=3),
                   timezone.localtime(booking.start).date() - timedelta(days=10))
    ex = _exhibition(booking, plan, actor, application_deadline=deadline, community_prime_quota=4)
    rows = [r for r in EXHIBITORS if r[7] in ("A", "B")]
    for i, row in enumerate(rows, start=1):
        draft = _draft(row, i, "lannaceramics")
        if ex.applications.filter(email=draft.email).exists():
            continue
        try:
            app = services.application_submit(ex, draft)
        except ApplicationError:
            continue
        if i % 6 == 0:
            services.application_decide(app, "waitlist", actor=actor,
                                        reason="บูธในโซนที่ต้องการเต็มแล้ว จะแจ้งเมื่อมีบูธว่าง")
        elif i % 5 != 0:  # every fifth is still waiting for the organiser's review
            services.application_decide(app, "accept", actor=actor)
    _link_competitors(ex, actor)
    if not ex.claims.exists():
        run = services.run_start(ex, actor=actor, time_limit=5, workers=1, run_now=True)
        if run.status == "solved":
            services.run_apply(run, actor=actor)
    _bill_two(ex)


def _bill_two(ex: Exhibition) -> None:
    """Bill two placed exhibitors, and invoice one deposit, when the money chain is loaded."""
    from .billing import booth_fees_bill, booth_invoice_issue

    finance = User.objects.filter(role=User.Role.FINANCE_OFFICER, is_active=True).order_by("pk").first()
    staff = User.objects.filter(role=User.Role.CENTER_STAFF, is_active=True).order_by("pk").first()
    if finance is None or staff is None or ex.applications.filter(quotation__isnull=False).exists():
        return
    placed = [a for a in ex.applications.filter(status="accepted").order_by("pk") if a.claims.filter(active=True)]
    for k, app in enumerate(placed[:2]):
        booth_fees_bill(app, actor=staff)
        if k == 0:
            app.refresh_from_db()
            booth_invoice_issue(app, "deposit", actor=finance)


def load() -> None:
    """Load the demo fairs (idempotent)."""
    venue = Venue.objects.filter(code="DIPROM-MICE").first()
    if venue is None:
        return
    actor = _staff()
    with transaction.atomic():
        _past_fair(venue, actor)
    with transaction.atomic():
        _coming_fair(venue, actor)
