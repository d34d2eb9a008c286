"""The money documents as Thai PDFs on the venue's letterhead (WeasyPrint, Thai fonts, BE dates), and the
PromptPay QR code of an invoice. Documents are always Thai, whatever the page language."""

from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from khuang.core import numformat

from .models import Agreement, Invoice, Quotation, Receipt
from .promptpay import PromptPayIdError, payload, qr_png_data_uri
from .services import venue_finance
from .words import baht_words


def invoice_qr(invoice: Invoice) -> dict[str, str] | None:
    """PromptPay QR (payload and PNG) for what is still owed on an issued invoice; None when the venue has no
    PromptPay ID, the invoice is a credit note or draft, or nothing is owed."""
    settings_ = venue_finance(invoice.venue)
    owed = invoice.outstanding()
    if not settings_.promptpay_id or not invoice.is_issued or invoice.is_credit_note or owed <= 0:
        return None
    try:
        text = payload(settings_.promptpay_id, owed)
    except PromptPayIdError:
        return None
    return {"payload": text, "png": qr_png_data_uri(text), "amount": numformat.baht(owed)}


def _letterhead(venue) -> dict[str, Any]:
    settings_ = venue_finance(venue)
    return {"name": settings_.legal_name_th or venue.name_th, "address": venue.address_th,
            "tax_id": settings_.tax_id, "phone": settings_.phone, "email": settings_.email,
            "bank": settings_.bank_account, "vat_registered": settings_.vat_registered,
            "signatory": settings_.signatory_th}


def _render(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    with translation.override("th"):
        html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def quotation_pdf(quotation: Quotation) -> bytes:
    """ใบเสนอราคา: lines, discounts, VAT, total in figures and words, validity."""
    return _render("finance/pdf_document.html", {
        "doc": "quotation", "title_th": "ใบเสนอราคา", "number": quotation.label, "date": quotation.issue_date,
        "letter": _letterhead(quotation.venue), "customer": quotation.customer, "bill_to": None,
        "subject": quotation.title, "lines": list(quotation.lines.all()), "subtotal": quotation.subtotal,
        "discount": quotation.discount_total, "net": quotation.net, "vat_rate": quotation.vat_rate,
        "vat": quotation.vat, "total": quotation.total, "words": baht_words(quotation.total),
        "valid_until": quotation.valid_until, "draft": not quotation.is_frozen,
        "instalments": list(quotation.instalments.all()),
    })


def invoice_pdf(invoice: Invoice) -> bytes:
    """ใบแจ้งหนี้ or ใบลดหนี้: the document as issued (its own copy of the customer), PromptPay QR."""
    credit = invoice.is_credit_note
    return _render("finance/pdf_document.html", {
        "doc": "credit_note" if credit else "invoice", "title_th": "ใบลดหนี้" if credit else "ใบแจ้งหนี้",
        "number": invoice.number or "(ร่าง)", "date": invoice.issue_date, "due_date": invoice.due_date,
        "letter": _letterhead(invoice.venue), "customer": invoice.customer, "bill_to": invoice.bill_to or None,
        "subject": invoice.title, "reason": invoice.reason, "credits": invoice.credits,
        "lines": list(invoice.lines.all()), "subtotal": invoice.subtotal, "discount": Decimal("0"),
        "net": invoice.subtotal, "vat_rate": invoice.vat_rate, "vat": invoice.vat, "total": invoice.total,
        "words": invoice.amount_in_words or baht_words(invoice.total), "draft": not invoice.is_issued,
        "qr": invoice_qr(invoice),
    })


def receipt_pdf(receipt: Receipt) -> bytes:
    """ใบเสร็จรับเงิน for one payment."""
    payment, invoice = receipt.payment, receipt.payment.invoice
    return _render("finance/pdf_receipt.html", {
        "r": receipt, "payment": payment, "invoice": invoice, "letter": _letterhead(receipt.venue),
        "bill_to": invoice.bill_to, "customer": invoice.customer,
    })


def agreement_pdf(agreement: Agreement) -> bytes:
    """สัญญาเช่าสถานที่: the filled-in text, the checklist of documents, signature lines."""
    return _render("finance/pdf_agreement.html", {
        "a": agreement, "q": agreement.quotation, "letter": _letterhead(agreement.quotation.venue),
        "documents": list(agreement.documents.all()),
    })
