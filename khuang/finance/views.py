"""Money pages: quotations, agreements, invoices, receivables and revenue. Views parse the request, call one
service or selector, and render; a refusal shows its message with a 4xx status, never a 500."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuang.core.errors import ApplicationError, PermissionDeniedError
from khuang.core.models import audit_trail
from khuang.core.thaidates import fiscal_year

from . import documents, errors, exports, selectors, services
from .forms import CreditForm, DiscountForm, DocumentForm, ExtraForm, LineForm, PaymentForm, SignForm
from .models import (
    Invoice,
    PriceItem,
    Quotation,
    is_finance_officer,
    prepares_documents,
    reads_money_reports,
)


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "finance/error.html", {"message": message}, status=status)


def _guard(view: Callable) -> Callable:
    """Signed-in only; a domain refusal becomes its message with its 4xx status."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as exc:
            return _refused(request, exc.message, exc.status_code)

    return wrapper


def _form_error(form) -> ApplicationError:
    field, errs = next(iter(form.errors.items()))
    label = form.fields[field].label if field in form.fields else field
    return services.InvalidInput(f"{label}: {' '.join(errs)}", field=field)


def _valid(form):
    if not form.is_valid():
        raise _form_error(form)
    return form.cleaned_data


# ---------------------------------------------------------------- home and lists

@_guard
def home(request: HttpRequest) -> HttpResponse:
    """What the person may do with money: open quotations, instalments due, recent invoices, reports."""
    user = request.user
    selectors.check_uses_finance_pages(user)
    context = {
        "quotations": selectors.quotation_list(user)[:10], "invoices": selectors.invoice_list(user)[:10],
        "instalments": selectors.open_instalments(user)[:15], "can_prepare": prepares_documents(user),
        "is_finance": is_finance_officer(user), "reads_reports": reads_money_reports(user),
        "fy": fiscal_year(timezone.localdate()),
    }
    return render(request, "finance/home.html", context)


@_guard
def quotation_list(request: HttpRequest) -> HttpResponse:
    quotations = selectors.quotation_list(request.user, status=request.GET.get("status") or None)[:300]
    return render(request, "finance/quotation_list.html", {"quotations": quotations,
                                                           "can_prepare": prepares_documents(request.user)})


@_guard
def invoice_list(request: HttpRequest) -> HttpResponse:
    invoices = selectors.invoice_list(request.user)[:300]
    return render(request, "finance/invoice_list.html", {"invoices": invoices})


# ---------------------------------------------------------------- quotations

@_guard
def quotation_new(request: HttpRequest) -> HttpResponse:
    """Choose bookings of one customer; the quotation is priced from the rate cards."""
    if not Quotation.may_create(request.user):
        raise PermissionDeniedError(str(errors.ONLY_PREPARERS))
    candidates = selectors.bookings_for_quotation(request.user)
    if request.method == "POST":
        ids = [int(x) for x in request.POST.getlist("bookings") if x.isdigit()]
        chosen = list(candidates.filter(pk__in=ids))
        if not chosen:
            raise services.InvalidInput(_("Choose at least one booking."), field="bookings")
        quotation = services.quotation_from_bookings(chosen, actor=request.user)
        messages.success(request, _("Quotation %(number)s drafted.") % {"number": quotation.label})
        return redirect("finance:quotation_detail", quotation.pk)
    preselect = request.GET.get("booking")
    return render(request, "finance/quotation_new.html", {"bookings": candidates[:200], "preselect": preselect})


@_guard
def quotation_detail(request: HttpRequest, quotation_id: int) -> HttpResponse:
    quotation = selectors.quotation_get(request.user, quotation_id)
    user = request.user
    agreement = quotation.agreement if hasattr(quotation, "agreement") else None
    instalments = [{"row": i, "invoice": i.invoice()} for i in quotation.instalments.all()]
    context = {
        "q": quotation, "lines": quotation.lines.select_related("space"), "agreement": agreement,
        "instalments": instalments, "can_edit": quotation.can_edit(user), "can_accept": quotation.can_accept(user),
        "can_revise": quotation.can_revise(user), "can_agree": quotation.can_agree(user) and agreement is None,
        "is_finance": is_finance_officer(user), "audit": audit_trail(quotation) if prepares_documents(user) else [],
        "extra_form": ExtraForm(items=PriceItem.objects.filter(venue=quotation.venue, is_active=True)),
        "line_form": LineForm(), "discount_form": DiscountForm(),
        "bookings": quotation.bookings.select_related("space"),
    }
    return render(request, "finance/quotation_detail.html", context)


@require_POST
@_guard
def quotation_action(request: HttpRequest, quotation_id: int, action: str) -> HttpResponse:
    """Send, accept, revise, reject; add an extra, a line or a discount; remove a line; make the agreement."""
    quotation = selectors.quotation_get(request.user, quotation_id)
    actor, post = request.user, request.POST
    target = quotation
    if action == "send":
        services.quotation_send(quotation, actor=actor)
    elif action == "accept":
        services.quotation_accept(quotation, actor=actor)
    elif action == "reject":
        services.quotation_reject(quotation, reason=post.get("reason", ""), actor=actor)
    elif action == "revise":
        target = services.quotation_revise(quotation, actor=actor)
    elif action == "extra":
        data = _valid(ExtraForm(post, items=PriceItem.objects.filter(venue=quotation.venue, is_active=True)))
        services.quotation_add_extra(quotation, data["item"], data["quantity"], actor=actor)
    elif action == "line":
        data = _valid(LineForm(post))
        services.quotation_add_line(quotation, services.LineDraft(
            description_th=data["description_th"], description_en=data["description_en"],
            quantity=data["quantity"], unit_price=data["unit_price"]), actor=actor)
    elif action == "discount":
        data = _valid(DiscountForm(post))
        services.quotation_add_discount(quotation, reason=data["reason"], percent=data["percent"],
                                        amount=data["amount"], actor=actor)
    elif action == "remove-line":
        services.quotation_remove_line(quotation, int(post.get("line") or 0), actor=actor)
    elif action == "agreement":
        agreement = services.agreement_create(quotation, actor=actor)
        return redirect("finance:agreement_detail", agreement.pk)
    else:
        raise services.InvalidInput(_("Unknown action."), field="action")
    return redirect("finance:quotation_detail", target.pk)


@_guard
def quotation_pdf(request: HttpRequest, quotation_id: int) -> HttpResponse:
    """The quotation in Thai on the venue's letterhead."""
    quotation = selectors.quotation_get(request.user, quotation_id)
    return _pdf(documents.quotation_pdf(quotation), f"{quotation.label}.pdf")


def _pdf(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# ---------------------------------------------------------------- agreements

@_guard
def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = selectors.agreement_get(request.user, agreement_id)
    context = {"a": agreement, "q": agreement.quotation, "documents": agreement.documents.all(),
               "can_manage": agreement.can_manage(request.user), "can_send": agreement.can_send(request.user),
               "can_sign": agreement.can_sign(request.user), "sign_form": SignForm(),
               "audit": audit_trail(agreement) if prepares_documents(request.user) else []}
    return render(request, "finance/agreement_detail.html", context)


@require_POST
@_guard
def agreement_action(request: HttpRequest, agreement_id: int, action: str) -> HttpResponse:
    agreement = selectors.agreement_get(request.user, agreement_id)
    if action == "send":
        services.agreement_send(agreement, actor=request.user)
    elif action == "sign":
        data = _valid(SignForm(request.POST))
        services.agreement_sign(agreement, signed_on=data["signed_on"], signed_by=data["signed_by"],
                                actor=request.user)
    elif action == "document":
        data = _valid(DocumentForm(request.POST))
        services.agreement_document_mark(agreement, data["document"],
                                         received_on=timezone.localdate() if data["received"] else None,
                                         actor=request.user)
    else:
        raise services.InvalidInput(_("Unknown action."), field="action")
    return redirect("finance:agreement_detail", agreement.pk)


@_guard
def agreement_pdf(request: HttpRequest, agreement_id: int) -> HttpResponse:
    agreement = selectors.agreement_get(request.user, agreement_id)
    return _pdf(documents.agreement_pdf(agreement), f"{agreement.number}.pdf")


# ---------------------------------------------------------------- invoices, payments, receipts

@require_POST
@_guard
def instalment_invoice(request: HttpRequest, instalment_id: int) -> HttpResponse:
    """Draft the invoice of a deposit or balance. Finance officers only: anyone else is refused (403) before the
    instalment is looked up, as `POST /api/finance/invoices` does."""
    if not Invoice.may_create(request.user):
        raise PermissionDeniedError(str(errors.ONLY_FINANCE))
    instalment = selectors.instalment_get(request.user, instalment_id)
    invoice = services.invoice_for_instalment(instalment, actor=request.user)
    return redirect("finance:invoice_detail", invoice.pk)


@_guard
def invoice_detail(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = selectors.invoice_get(request.user, invoice_id)
    user = request.user
    payment_form = PaymentForm(initial={"amount": invoice.outstanding()})
    context = {
        "inv": invoice, "lines": invoice.lines.select_related("space"),
        "payments": invoice.payments.select_related("receipt"), "credit_notes": invoice.credit_notes.all(),
        "can_issue": invoice.can_issue(user),
        "can_credit": invoice.can_credit(user) and invoice.credited() < invoice.total,
        "can_pay": invoice.can_record_payment(user) and invoice.outstanding() > 0,
        "payment_form": payment_form, "credit_form": CreditForm(),
        "qr": documents.invoice_qr(invoice), "external_receipts": services.venue_finance(invoice.venue)
        .external_receipts, "audit": audit_trail(invoice) if prepares_documents(user) else [],
    }
    return render(request, "finance/invoice_detail.html", context)


@require_POST
@_guard
def invoice_action(request: HttpRequest, invoice_id: int, action: str) -> HttpResponse:
    """Issue or void a draft, record a payment, issue a credit note."""
    invoice = selectors.invoice_get(request.user, invoice_id)
    actor = request.user
    if action == "issue":
        invoice = services.invoice_issue(invoice, actor=actor)
        messages.success(request, _("Invoice %(number)s issued.") % {"number": invoice.number})
    elif action == "void":
        services.invoice_void(invoice, reason=request.POST.get("reason", ""), actor=actor)
    elif action == "payment":
        data = _valid(PaymentForm(request.POST))
        payment = services.payment_record(invoice, amount=data["amount"], paid_on=data["paid_on"],
                                          method=data["method"], reference=data["reference"],
                                          external_receipt_number=data["external_receipt_number"], actor=actor)
        messages.success(request, _("Payment recorded; receipt %(number)s.") % {"number": payment.receipt.number})
    elif action == "credit":
        data = _valid(CreditForm(request.POST))
        note = services.credit_note_create(invoice, reason=data["reason"], amount=data["amount"], actor=actor)
        return redirect("finance:invoice_detail", note.pk)
    else:
        raise services.InvalidInput(_("Unknown action."), field="action")
    return redirect("finance:invoice_detail", invoice.pk)


@_guard
def invoice_pdf(request: HttpRequest, invoice_id: int) -> HttpResponse:
    """The invoice (or credit note) in Thai: letterhead, lines, amount in words, PromptPay QR."""
    invoice = selectors.invoice_get(request.user, invoice_id)
    return _pdf(documents.invoice_pdf(invoice), f"{invoice.number or 'draft-' + str(invoice.pk)}.pdf")


@_guard
def receipt_pdf(request: HttpRequest, receipt_id: int) -> HttpResponse:
    receipt = selectors.receipt_get(request.user, receipt_id)
    return _pdf(documents.receipt_pdf(receipt), f"{receipt.number}.pdf")


@_guard
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = selectors.customer_get(request.user, customer_id)
    invoices = Invoice.objects.visible_to(request.user).filter(customer=customer).exclude(status="void")
    return render(request, "finance/customer_detail.html", {
        "customer": customer, "balance": selectors.customer_balance(customer), "invoices": invoices,
        "quotations": Quotation.objects.visible_to(request.user).filter(customer=customer)})


@_guard
def receivables(request: HttpRequest) -> HttpResponse:
    """Open invoices by customer, aged by days past due."""
    report = selectors.aged_receivables(request.user)
    return render(request, "finance/receivables.html", {"r": report})


# ---------------------------------------------------------------- revenue

@_guard
def revenue(request: HttpRequest, fy: str | None = None) -> HttpResponse:
    """Revenue by month, space and customer class; booked against received."""
    selectors.check_reads_reports(request.user)
    year = selectors.fiscal_year_parse(fy) if fy else fiscal_year(timezone.localdate())
    report = selectors.revenue_report(selectors.venue_get(request.GET.get("venue") or None), year)
    return render(request, "finance/revenue.html", {"r": report, "prev_fy": year - 1, "next_fy": year + 1,
                                                    "can_export": prepares_documents(request.user)})


@_guard
def receipts_xlsx(request: HttpRequest, fy: str) -> HttpResponse:
    """The receipts register of a fiscal year for the accounting office."""
    if not prepares_documents(request.user):
        raise PermissionDeniedError(_("Only center staff and finance officers export the receipts register."))
    year = selectors.fiscal_year_parse(fy)
    venue = selectors.venue_get(request.GET.get("venue") or None)
    body = exports.receipts_register_xlsx(venue, year)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="khuang-fy{year}-receipts.xlsx"'
    return response

