"""PromptPay QR: the EMVCo merchant-presented payload (Thai QR Payment standard) and its image.

The payload is a list of tag-length-value fields ending in a CRC-16/CCITT-FALSE checksum (polynomial 0x1021,
initial value 0xFFFF) over everything before it, including "6304". The checksum comes from Python's own
`binascii.crc_hqx`, which computes exactly that CRC; tests check it against published PromptPay payloads.
"""

import base64
import binascii
import io
import re
from decimal import Decimal

AID_PROMPTPAY = "A000000677010111"
COUNTRY, CURRENCY_THB = "TH", "764"


class PromptPayIdError(ValueError):
    """The PromptPay ID is neither a mobile number nor a 13-digit tax / national ID."""


def _tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def crc16(text: str) -> str:
    """CRC-16/CCITT-FALSE of the text as four upper-case hex digits."""
    return f"{binascii.crc_hqx(text.encode('ascii'), 0xFFFF):04X}"


def _account(promptpay_id: str) -> str:
    digits = re.sub(r"\D", "", promptpay_id)
    if len(digits) == 13:  # tax ID or national ID
        return _tlv("02", digits)
    if len(digits) == 11 and digits.startswith("66"):
        digits = "0" + digits[2:]
    if len(digits) == 10 and digits.startswith("0"):  # mobile: 0066 + the number without its leading 0
        return _tlv("01", "0066" + digits[1:])
    raise PromptPayIdError(promptpay_id)


def payload(promptpay_id: str, amount: Decimal | None = None) -> str:
    """The QR payload for a PromptPay ID, with a fixed amount (dynamic QR) when one is given."""
    merchant = _tlv("00", AID_PROMPTPAY) + _account(promptpay_id)
    fields = [_tlv("00", "01"), _tlv("01", "12" if amount is not None else "11"), _tlv("29", merchant),
              _tlv("58", COUNTRY), _tlv("53", CURRENCY_THB)]
    if amount is not None:
        fields.append(_tlv("54", f"{Decimal(amount):.2f}"))
    body = "".join(fields) + "6304"
    return body + crc16(body)


def qr_png_data_uri(text: str, box_size: int = 6) -> str:
    """The QR code of a text as a PNG data URI (for pages and PDFs; no network, no files)."""
    import qrcode

    image = qrcode.make(text, box_size=box_size, border=2)
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
