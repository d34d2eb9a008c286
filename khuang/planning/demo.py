"""Demo proposals for the fiscal year under way (FY 2570 = 1 Oct 2026 – 30 Sep 2027) from the seed's agencies.

Illustrative: titles, sizes and windows follow the seasons and festivals in the Lanna calendar (cool-season
fairs, the ceramic fair, the Songkran market, rainy-season trainings and e-sports). Every window opens on or
after OPENS (the demo was written in late November 2026), so a new user can run the optimizer at once and
see a plan for the months ahead.
"""

from datetime import date

from django.db import transaction

from khuang.accounts.models import Agency
from khuang.venues.models import Space, Venue

from .models import PlanningSettings, Proposal, ProposalStatus

FISCAL_YEAR = 2570
# One operations team: at most three events and two move-ins a day; the planner's intent (DESIGN.md, version 2).
SETTINGS = {"week_bonus": 3.0, "oversize_penalty": 0.5, "max_events_per_day": 3, "max_moveins_per_day": 2}
OPENS = date(2026, 12, 1)
COOL = [11, 12, 1, 2]
RAINY = [6, 7, 8, 9]

# ref, agency, th, en, type, days, setup, teardown, attendees, layout, allowed, earliest, latest_end, months,
# fixed, priority, public
PROPOSALS = [
    ("P-001", "LPG-IND", "ลำปางเซรามิกแฟร์ ครั้งที่ 39", "39th Lampang Ceramic Fair", "trade_fair", 10, 2, 1, 3000,
     "booths", ["HALL-ABC"], date(2026, 12, 1), date(2027, 1, 5), [12], None, 5, True),
    ("P-002", "LPN-IND", "มหกรรมสินค้าลำพูน ของดีหริภุญชัย", "Lamphun Hariphunchai Products Fair", "trade_fair", 5,
     1, 1, 1500, "booths", ["HALL-AB", "HALL-BC", "HALL-ABC"], date(2027, 1, 15), date(2027, 2, 28), COOL, None, 4,
     True),
    ("P-003", "CMI-IND", "นิทรรศการหัตถกรรมสร้างสรรค์เชียงใหม่", "Chiang Mai Creative Crafts Exhibition", "exhibition",
     4, 1, 1, 900, "booths", ["HALL-A", "HALL-B", "HALL-AB"], date(2026, 11, 1), date(2027, 2, 28), COOL, None, 4,
     True),
    ("P-004", "IPC1", "สัมมนาอุตสาหกรรมภาคเหนือ 2570", "Northern Industry Forum 2027", "conference", 2, 1, 0,
     1200, "theatre", ["HALL-AB", "HALL-ABC"], date(2027, 3, 1), date(2027, 5, 31), [3], None, 5, True),
    ("P-005", "CIMRD", "อบรมการออกแบบบรรจุภัณฑ์เซรามิก", "Ceramic packaging design training", "training", 3, 0, 0,
     40, "classroom", [], date(2026, 10, 1), date(2027, 9, 30), RAINY, None, 3, False),
    ("P-006", "CIMRD", "อบรมเคลือบเซรามิกไร้สารตะกั่ว", "Lead-free ceramic glazing training", "training", 2, 0, 0,
     30, "classroom", [], date(2026, 10, 1), date(2027, 9, 30), RAINY, None, 3, False),
    ("P-007", "LPG-CHAMBER", "ลำปาง อีสปอร์ต แชมเปียนชิพ", "Lampang E-sports Championship", "esports", 3, 1, 1, 800,
     "theatre", ["HALL-A", "HALL-B", "HALL-AB"], date(2027, 6, 1), date(2027, 8, 31), RAINY, None, 4, True),
    ("P-008", "LANNA-ESPORTS", "ลีกอีสปอร์ตเยาวชนล้านนา", "Lanna Youth E-sports League", "esports", 2, 1, 0, 300,
     "theatre", ["MR-LANNA", "HALL-C"], date(2027, 5, 15), date(2027, 9, 15), RAINY, None, 3, True),
    ("P-009", "LPG-IND", "ตลาดงานหัตถกรรมสงกรานต์", "Songkran crafts market", "festival", 3, 1, 1, 2000, "booths",
     ["KHUANG-GROUND"], date(2027, 4, 8), date(2027, 4, 16), [4], None, 4, True),
    ("P-010", "KOKHA-CERAMIC", "เวิร์กช็อปเพ้นท์ชามตราไก่", "Chicken-bowl painting workshop", "recreation", 1, 0, 0,
     40, "classroom", ["MR-CERAMIC", "GALLERY"], date(2026, 10, 1), date(2027, 9, 30), COOL, None, 2, True),
    ("P-011", "DIPROM", "ประชุมผู้บริหารกรมส่งเสริมอุตสาหกรรม", "DIPROM executive meeting", "conference", 1, 0, 0,
     20, "classroom", ["BOARD"], date(2026, 10, 1), date(2027, 9, 30), [], None, 5, False),
    ("P-012", "IPC1", "ศึกษาดูงานโรงงานเซรามิกต้นแบบ", "Model ceramic factory study visit", "study_visit", 1, 0, 0,
     60, "theatre", ["MR-WANG", "MR-KHELANG"], date(2026, 11, 1), date(2027, 3, 31), COOL, None, 3, False),
    ("P-013", "LPN-IND", "สัมมนาอุตสาหกรรมลำไยแปรรูป", "Processed longan industry seminar", "seminar", 1, 0, 0, 150,
     "theatre", [], date(2027, 7, 1), date(2027, 8, 31), [8], None, 3, True),
    ("P-014", "CMI-IND", "อบรม Smart Factory สำหรับ SME", "Smart factory training for SMEs", "training", 2, 0, 0, 70,
     "classroom", [], date(2026, 10, 1), date(2027, 9, 30), RAINY, None, 3, False),
    ("P-015", "LPG-CHAMBER", "งานแสดงสินค้าฤดูหนาวของดีนครลำปาง", "Lampang Winter Products Fair", "trade_fair", 7,
     1, 1, 2500, "booths", ["HALL-ABC", "KHUANG-GROUND"], date(2026, 12, 10), date(2027, 1, 20), COOL, None, 4,
     True),
    ("P-016", "DIPROM", "ประชุมระดับชาติ เครือข่ายอุตสาหกรรมสร้างสรรค์", "National creative industry network meeting",
     "conference", 2, 1, 0, 600, "theatre", ["HALL-A", "HALL-AB", "MR-LANNA"], date(2027, 2, 1), date(2027, 4, 10),
     [2, 3], None, 5, True),
]
TRAININGS = [  # repeated one-day trainings and seminars through the year
    ("CIMRD", "อบรมการขึ้นรูปดินพื้นบ้าน", "Local clay forming training", "training", 25),
    ("IPC1", "สัมมนาการตลาดออนไลน์สำหรับวิสาหกิจชุมชน", "Online marketing seminar for community enterprises",
     "seminar", 100),
    ("LPG-IND", "อบรมมาตรฐานผลิตภัณฑ์อุตสาหกรรม (มอก.)", "Industrial product standards (TIS) training", "training",
     60),
    ("CMI-IND", "สัมมนาพลังงานสะอาดในโรงงาน", "Clean energy in factories seminar", "seminar", 120),
]


@transaction.atomic
def load() -> None:
    """Create the demo proposals (idempotent: existing references are left as they are)."""
    venue = Venue.objects.filter(code="DIPROM-MICE").first()
    if venue is None:
        return
    PlanningSettings.objects.get_or_create(venue=venue, defaults=SETTINGS)  # staff changes are kept
    agencies = {a.code: a for a in Agency.objects.all()}
    spaces = {s.code: s for s in Space.objects.filter(venue=venue)}
    rows = list(PROPOSALS)
    for i in range(24):
        agency, th, en, kind, people = TRAININGS[i % len(TRAININGS)]
        month = (OPENS.month - 1 + i * 10 // 24) % 12 + 1  # spread over the ten months from December
        year = OPENS.year if month >= OPENS.month else OPENS.year + 1
        start = date(year, month, 1)
        end = date(year + (month == 12), month % 12 + 1, 1)
        rows.append((f"T-{i + 1:03d}", agency, f"{th} รุ่น {i // 4 + 1}", f"{en} #{i // 4 + 1}", kind, 1, 0, 0,
                     people, "classroom" if kind == "training" else "theatre", [], start,
                     date.fromordinal(end.toordinal() - 1), [], None, 2 + i % 2, kind == "seminar"))
    for (ref, agency, th, en, kind, days, setup, teardown, people, layout, allowed, earliest, latest_end, months,
         fixed, priority, public) in rows:
        earliest = max(earliest, OPENS)
        if Proposal.objects.filter(venue=venue, fiscal_year=FISCAL_YEAR, ref=ref).exists():
            continue
        p = Proposal(
            venue=venue, fiscal_year=FISCAL_YEAR, ref=ref, agency=agencies[agency], title_th=th, title_en=en,
            activity_type=kind, days=days, setup_days=setup, teardown_days=teardown, attendees=people,
            layout=layout, earliest=earliest, latest_end=latest_end, preferred_months=months, fixed_start=fixed,
            priority=priority, is_public=public, status=ProposalStatus.SUBMITTED,
        )
        p.full_clean(exclude=["created_by"])  # the demo obeys the same rules as a planner
        p.save()
        p.allowed_spaces.set([spaces[c] for c in allowed if c in spaces])
