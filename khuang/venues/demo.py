"""The demo venue: the DIPROM MICE CENTER, Ko Kha, Lampang.

No public source lists its halls, capacities or rates, so every figure here is illustrative
(flagged `illustrative=True`) and meant to be edited by center staff after a site survey.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from .models import RateCard, Space, Venue

VENUE = {
    "name_th": "ศูนย์ประชุมและแสดงสินค้าอุตสาหกรรมภาคเหนือ (DIPROM MICE CENTER)",
    "name_en": "DIPROM MICE CENTER (Northern Industrial Convention and Exhibition Center)",
    "address_th": "อำเภอเกาะคา จังหวัดลำปาง (ที่อยู่และพิกัดเป็นค่าตัวอย่าง)",
    "address_en": "Ko Kha district, Lampang (address and coordinates illustrative)",
    "province": "Lampang",
    "latitude": Decimal("18.193000"),
    "longitude": Decimal("99.396000"),
    "notes": "Figures are illustrative placeholders until the center's own survey.",
}

# code, th, en, kind, area, theatre, classroom, banquet, reception, booths, height, load, equipment, parts
SPACES = [
    ("HALL-A", "ห้องโถงนิทรรศการ A", "Exhibition Hall A", "hall", 1200, 1000, 500, 600, 1200, 60, 9, 1.5,
     ["av", "power", "wifi", "air_conditioning", "rigging"], []),
    ("HALL-B", "ห้องโถงนิทรรศการ B", "Exhibition Hall B", "hall", 1200, 1000, 500, 600, 1200, 60, 9, 1.5,
     ["av", "power", "wifi", "air_conditioning", "rigging"], []),
    ("HALL-C", "ห้องโถงนิทรรศการ C", "Exhibition Hall C", "hall", 800, 650, 320, 400, 800, 40, 9, 1.5,
     ["av", "power", "wifi", "air_conditioning", "rigging"], []),
    ("HALL-AB", "ห้องโถงนิทรรศการ A+B", "Exhibition Hall A+B", "hall", 2400, 2000, 1000, 1200, 2400, 120, 9, 1.5,
     ["av", "power", "wifi", "air_conditioning", "rigging"], ["HALL-A", "HALL-B"]),
    ("HALL-BC", "ห้องโถงนิทรรศการ B+C", "Exhibition Hall B+C", "hall", 2000, 1650, 820, 1000, 2000, 100, 9, 1.5,
     ["av", "power", "wifi", "air_conditioning", "rigging"], ["HALL-B", "HALL-C"]),
    ("HALL-ABC", "ห้องโถงนิทรรศการ A+B+C (เต็มฮอลล์)", "Exhibition Hall A+B+C (full hall)", "hall", 3200, 2650,
     1320, 1600, 3200, 160, 9, 1.5, ["av", "power", "wifi", "air_conditioning", "rigging"],
     ["HALL-A", "HALL-B", "HALL-C"]),
    ("MR-LANNA", "ห้องประชุมล้านนา", "Lanna Meeting Room", "meeting_room", 380, 300, 160, 200, 300, 0, 5, None,
     ["av", "power", "wifi", "air_conditioning", "stage"], []),
    ("MR-KHELANG", "ห้องประชุมเขลางค์", "Khelang Meeting Room", "meeting_room", 180, 120, 72, 80, 120, 0, 3.5,
     None, ["av", "power", "wifi", "air_conditioning"], []),
    ("MR-WANG", "ห้องประชุมแม่วัง", "Mae Wang Meeting Room", "meeting_room", 110, 80, 48, 50, 80, 0, 3.5, None,
     ["av", "power", "wifi", "air_conditioning"], []),
    ("MR-CERAMIC", "ห้องประชุมเซรามิก", "Ceramic Meeting Room", "meeting_room", 70, 50, 30, 30, 50, 0, 3, None,
     ["av", "power", "wifi", "air_conditioning"], []),
    ("MR-KOKHA", "ห้องประชุมเกาะคา", "Ko Kha Meeting Room", "meeting_room", 40, 30, 20, 20, 30, 0, 3, None,
     ["av", "power", "wifi", "air_conditioning"], []),
    ("BOARD", "ห้องประชุมผู้บริหาร", "Board Room", "meeting_room", 35, 0, 20, 0, 0, 0, 3, None,
     ["av", "power", "wifi", "air_conditioning"], []),
    ("GALLERY", "ห้องแสดงผลงานเซรามิก", "Ceramic Gallery", "exhibition_ground", 300, 0, 0, 0, 200, 20, 4, 0.5,
     ["power", "wifi", "air_conditioning"], []),
    ("KHUANG-GROUND", "ลานข่วงกลางแจ้ง", "Khuang Outdoor Ground", "outdoor", 5000, 0, 0, 1500, 4000, 150, None,
     None, ["power"], []),
]

# Daily rental rates (THB) by customer class: illustrative, in the range of provincial halls.
RATES = {"hall": 30000, "meeting_room": 6000, "exhibition_ground": 8000, "outdoor": 15000}
CLASS_FACTOR = {"government": Decimal("0.7"), "private": Decimal("1.0"), "community": Decimal("0.3")}


@transaction.atomic
def load() -> Venue:
    """Create or refresh the demo venue and its spaces (idempotent: a second run changes nothing)."""
    venue, _ = Venue.objects.update_or_create(code="DIPROM-MICE", defaults=VENUE)
    by_code: dict[str, Space] = {}
    for (code, th, en, kind, area, theatre, classroom, banquet, reception, booths, height, load_t, equip,
         _parts) in SPACES:
        space, _ = Space.objects.update_or_create(
            venue=venue, code=code,
            defaults={
                "name_th": th, "name_en": en, "kind": kind, "area_sqm": area, "capacity_theatre": theatre,
                "capacity_classroom": classroom, "capacity_banquet": banquet, "capacity_reception": reception,
                "booth_count": booths, "clear_height_m": height, "floor_load_t_sqm": load_t, "equipment": equip,
                "illustrative": True,
            },
        )
        by_code[code] = space
    for row in SPACES:
        if row[-1]:
            by_code[row[0]].parts.set([by_code[p] for p in row[-1]])
    base_area = {"hall": 1200}
    for space in by_code.values():
        base = Decimal(RATES.get(space.kind, 6000))
        if space.kind == "hall":
            base = base * Decimal(space.area_sqm) / base_area["hall"]
        for klass, factor in CLASS_FACTOR.items():
            full = (base * factor).quantize(Decimal("1"))
            RateCard.objects.update_or_create(
                space=space, customer_class=klass, valid_from=date(2025, 10, 1),
                defaults={"full_day_thb": full, "half_day_thb": (full * Decimal("0.6")).quantize(Decimal("1"))},
            )
    return venue
