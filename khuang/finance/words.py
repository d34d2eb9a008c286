"""Amounts in Thai words for invoices and receipts (บาทถ้วน / สตางค์), from pythainlp's number words.

pythainlp's `bahttext` takes a float and says "ศูนย์บาทห้าสิบสตางค์" for 0.50; Thai documents (and Excel's
BAHTTEXT) write "ห้าสิบสตางค์". So the two parts are converted exactly from a Decimal with `num_to_thaiword`
and joined by the same rules: "ถ้วน" when there are no satang, no "ศูนย์บาท" before satang alone.
"""

from decimal import ROUND_HALF_UP, Decimal

from pythainlp.util import num_to_thaiword


def baht_words(amount: Decimal | int | str) -> str:
    """`Decimal("21.25")` → "ยี่สิบเอ็ดบาทยี่สิบห้าสตางค์"; 1,000,001 → "หนึ่งล้านเอ็ดบาทถ้วน"."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        return "ลบ" + baht_words(-value)
    baht = int(value)
    satang = int((value - baht) * 100)
    if baht == 0 and satang == 0:
        return "ศูนย์บาทถ้วน"
    text = f"{num_to_thaiword(baht)}บาท" if baht else ""
    return text + (f"{num_to_thaiword(satang)}สตางค์" if satang else "ถ้วน")
