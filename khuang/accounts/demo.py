"""Demo agencies: the partners named in the 2023 ministry meeting, plus an organiser and a community group."""

from .models import Agency

AGENCIES = [
    ("DIPROM", "กรมส่งเสริมอุตสาหกรรม", "Department of Industrial Promotion", "Bangkok", "ministry_unit"),
    ("CIMRD", "ศูนย์วิจัยและพัฒนาวัสดุอุตสาหกรรมสร้างสรรค์",
     "Creative Industrial Materials R&D Center", "Lampang", "ministry_unit"),
    ("IPC1", "ศูนย์ส่งเสริมอุตสาหกรรมภาคที่ 1", "Industrial Promotion Center Region 1", "Chiang Mai",
     "ministry_unit"),
    ("LPG-IND", "สำนักงานอุตสาหกรรมจังหวัดลำปาง", "Lampang Provincial Industry Office", "Lampang",
     "provincial_office"),
    ("LPN-IND", "สำนักงานอุตสาหกรรมจังหวัดลำพูน", "Lamphun Provincial Industry Office", "Lamphun",
     "provincial_office"),
    ("CMI-IND", "สำนักงานอุตสาหกรรมจังหวัดเชียงใหม่", "Chiang Mai Provincial Industry Office", "Chiang Mai",
     "provincial_office"),
    ("LPG-CHAMBER", "หอการค้าจังหวัดลำปาง", "Lampang Chamber of Commerce", "Lampang", "chamber"),
    ("LANNA-ESPORTS", "ล้านนา อีสปอร์ต (ผู้จัดงานตัวอย่าง)", "Lanna Esports (sample organiser)", "Lampang",
     "private_organiser"),
    ("KOKHA-CERAMIC", "กลุ่มเซรามิกชุมชนเกาะคา", "Ko Kha Community Ceramic Group", "Lampang", "community_group"),
]


def load() -> None:
    """Create or refresh the demo agencies (idempotent)."""
    for code, name_th, name_en, province, kind in AGENCIES:
        Agency.objects.update_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en, "province": province, "kind": kind}
        )
