"""Money pages, mounted at /finance/."""

from django.urls import path

from . import views

app_name = "finance"
urlpatterns = [
    path("", views.home, name="home"),
    path("quotations/", views.quotation_list, name="quotation_list"),
    path("quotations/new/", views.quotation_new, name="quotation_new"),
    path("quotations/<int:quotation_id>/", views.quotation_detail, name="quotation_detail"),
    path("quotations/<int:quotation_id>/pdf/", views.quotation_pdf, name="quotation_pdf"),
    path("quotations/<int:quotation_id>/<slug:action>/", views.quotation_action, name="quotation_action"),
    path("agreements/<int:agreement_id>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:agreement_id>/pdf/", views.agreement_pdf, name="agreement_pdf"),
    path("agreements/<int:agreement_id>/<slug:action>/", views.agreement_action, name="agreement_action"),
    path("instalments/<int:instalment_id>/invoice/", views.instalment_invoice, name="instalment_invoice"),
    path("invoices/", views.invoice_list, name="invoice_list"),
    path("invoices/<int:invoice_id>/", views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:invoice_id>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:invoice_id>/<slug:action>/", views.invoice_action, name="invoice_action"),
    path("receipts/<int:receipt_id>/pdf/", views.receipt_pdf, name="receipt_pdf"),
    path("customers/<int:customer_id>/", views.customer_detail, name="customer_detail"),
    path("receivables/", views.receivables, name="receivables"),
    path("revenue/", views.revenue, name="revenue"),
    path("revenue/<str:fy>/", views.revenue, name="revenue_year"),
    path("revenue/<str:fy>/receipts.xlsx", views.receipts_xlsx, name="receipts_xlsx"),
]
