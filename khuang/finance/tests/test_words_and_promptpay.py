"""Amounts in Thai words and the PromptPay payload, against independently known answers."""

from decimal import Decimal

import pytest

from khuang.finance.promptpay import PromptPayIdError, crc16, payload, qr_png_data_uri
from khuang.finance.words import baht_words


@pytest.mark.parametrize(("amount", "words"), [
    # Fifty satang alone: no "zero baht" in front (as Thai documents and Excel's BAHTTEXT write it).
    ("0.50", "ห้าสิบสตางค์"),
    # 21 is "ยี่สิบเอ็ด" (twenty-one: ยี่ for the twenty, เอ็ด for a final one), 25 satang.
    ("21.25", "ยี่สิบเอ็ดบาทยี่สิบห้าสตางค์"),
    # A final one after a million is "เอ็ด", and whole baht end in "ถ้วน".
    ("1000001.00", "หนึ่งล้านเอ็ดบาทถ้วน"),
    ("100000000", "หนึ่งร้อยล้านบาทถ้วน"),
    ("0", "ศูนย์บาทถ้วน"),
    ("11.01", "สิบเอ็ดบาทหนึ่งสตางค์"),
    ("2000000.10", "สองล้านบาทสิบสตางค์"),
])
def test_baht_words(amount, words):
    assert baht_words(Decimal(amount)) == words


def test_crc16_ccitt_false_check_value():
    # The catalogued check value of CRC-16/CCITT-FALSE over "123456789".
    assert crc16("123456789") == "29B1"


@pytest.mark.parametrize(("pp_id", "amount", "expected"), [
    # Published vectors of the reference PromptPay payload generator (promptpay-qr).
    ("0801234567", None, "00020101021129370016A000000677010111011300668012345675802TH530376463046197"),
    ("080-123-4567", None, "00020101021129370016A000000677010111011300668012345675802TH530376463046197"),
    ("1111111111111", None, "00020101021129370016A000000677010111021311111111111115802TH530376463047B5A"),
    ("0123456789012", None, "00020101021129370016A000000677010111021301234567890125802TH530376463040CBD"),
    ("000-000-0000", Decimal("4.22"),
     "00020101021229370016A000000677010111011300660000000005802TH530376454044.226304E469"),
])
def test_promptpay_payload_matches_published_vectors(pp_id, amount, expected):
    assert payload(pp_id, amount) == expected


def test_promptpay_rejects_ids_it_cannot_carry():
    with pytest.raises(PromptPayIdError):
        payload("12345")


def test_qr_image_is_a_png():
    uri = qr_png_data_uri(payload("0801234567", Decimal("100")))
    assert uri.startswith("data:image/png;base64,iVBOR")
