"""Thailand's 77 provinces (English name as stored, Thai name as shown), northern provinces first in forms."""

from khuang.core.i18n import is_english

PROVINCES = (
    ("Bangkok", "กรุงเทพมหานคร"), ("Amnat Charoen", "อำนาจเจริญ"), ("Ang Thong", "อ่างทอง"),
    ("Bueng Kan", "บึงกาฬ"), ("Buriram", "บุรีรัมย์"), ("Chachoengsao", "ฉะเชิงเทรา"), ("Chai Nat", "ชัยนาท"),
    ("Chaiyaphum", "ชัยภูมิ"), ("Chanthaburi", "จันทบุรี"), ("Chiang Mai", "เชียงใหม่"), ("Chiang Rai", "เชียงราย"),
    ("Chonburi", "ชลบุรี"), ("Chumphon", "ชุมพร"), ("Kalasin", "กาฬสินธุ์"), ("Kamphaeng Phet", "กำแพงเพชร"),
    ("Kanchanaburi", "กาญจนบุรี"), ("Khon Kaen", "ขอนแก่น"), ("Krabi", "กระบี่"), ("Lampang", "ลำปาง"),
    ("Lamphun", "ลำพูน"), ("Loei", "เลย"), ("Lopburi", "ลพบุรี"), ("Mae Hong Son", "แม่ฮ่องสอน"),
    ("Maha Sarakham", "มหาสารคาม"), ("Mukdahan", "มุกดาหาร"), ("Nakhon Nayok", "นครนายก"),
    ("Nakhon Pathom", "นครปฐม"), ("Nakhon Phanom", "นครพนม"), ("Nakhon Ratchasima", "นครราชสีมา"),
    ("Nakhon Sawan", "นครสวรรค์"), ("Nakhon Si Thammarat", "นครศรีธรรมราช"), ("Nan", "น่าน"),
    ("Narathiwat", "นราธิวาส"), ("Nong Bua Lamphu", "หนองบัวลำภู"), ("Nong Khai", "หนองคาย"),
    ("Nonthaburi", "นนทบุรี"), ("Pathum Thani", "ปทุมธานี"), ("Pattani", "ปัตตานี"), ("Phang Nga", "พังงา"),
    ("Phatthalung", "พัทลุง"), ("Phayao", "พะเยา"), ("Phetchabun", "เพชรบูรณ์"), ("Phetchaburi", "เพชรบุรี"),
    ("Phichit", "พิจิตร"), ("Phitsanulok", "พิษณุโลก"), ("Phra Nakhon Si Ayutthaya", "พระนครศรีอยุธยา"),
    ("Phrae", "แพร่"), ("Phuket", "ภูเก็ต"), ("Prachinburi", "ปราจีนบุรี"), ("Prachuap Khiri Khan", "ประจวบคีรีขันธ์"),
    ("Ranong", "ระนอง"), ("Ratchaburi", "ราชบุรี"), ("Rayong", "ระยอง"), ("Roi Et", "ร้อยเอ็ด"),
    ("Sa Kaeo", "สระแก้ว"), ("Sakon Nakhon", "สกลนคร"), ("Samut Prakan", "สมุทรปราการ"),
    ("Samut Sakhon", "สมุทรสาคร"), ("Samut Songkhram", "สมุทรสงคราม"), ("Saraburi", "สระบุรี"), ("Satun", "สตูล"),
    ("Sing Buri", "สิงห์บุรี"), ("Sisaket", "ศรีสะเกษ"), ("Songkhla", "สงขลา"), ("Sukhothai", "สุโขทัย"),
    ("Suphan Buri", "สุพรรณบุรี"), ("Surat Thani", "สุราษฎร์ธานี"), ("Surin", "สุรินทร์"), ("Tak", "ตาก"),
    ("Trang", "ตรัง"), ("Trat", "ตราด"), ("Ubon Ratchathani", "อุบลราชธานี"), ("Udon Thani", "อุดรธานี"),
    ("Uthai Thani", "อุทัยธานี"), ("Uttaradit", "อุตรดิตถ์"), ("Yala", "ยะลา"), ("Yasothon", "ยโสธร"),
)
NORTH_FIRST = ("Lampang", "Lamphun", "Chiang Mai", "Chiang Rai", "Phrae", "Nan", "Phayao", "Mae Hong Son")
THAI = dict(PROVINCES)


def province_name(key: str) -> str:
    """The province in the active language (the stored English key when unknown)."""
    if is_english():
        return key
    return THAI.get(key, key)


def province_choices() -> list[tuple[str, str]]:
    """(key, label) pairs for a form: the northern provinces first, then the rest in the language's order."""
    first = [(k, province_name(k)) for k in NORTH_FIRST]
    rest = sorted(((k, province_name(k)) for k, _ in PROVINCES if k not in NORTH_FIRST), key=lambda kv: kv[1])
    return first + rest
