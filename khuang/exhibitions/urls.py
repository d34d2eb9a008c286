"""Exhibition pages: staff and organisers under /expo/, the public under /events/<id>/, exhibitors' private
pages under /exhibitor/<token>/."""

from django.urls import path

from . import views

app_name = "exhibitions"
urlpatterns = [
    path("expo/", views.exhibition_list, name="list"),
    path("expo/new/", views.exhibition_new, name="exhibition_new"),
    path("expo/plans/", views.plan_list, name="plan_list"),
    path("expo/plans/new/", views.plan_new, name="plan_new"),
    path("expo/plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("expo/plans/<int:plan_id>/import/", views.plan_import, name="plan_import"),
    path("expo/plans/<int:plan_id>/copy/", views.plan_copy, name="plan_copy"),
    path("expo/plans/<int:plan_id>/layout.<str:fmt>", views.plan_export, name="plan_export"),
    path("expo/<int:exhibition_id>/", views.exhibition_detail, name="detail"),
    path("expo/<int:exhibition_id>/settings/", views.exhibition_settings, name="settings"),
    path("expo/<int:exhibition_id>/booths/", views.booth_action, name="booth_action"),
    path("expo/<int:exhibition_id>/booths.json", views.instance_download, name="instance"),
    path("expo/<int:exhibition_id>/applications/", views.application_list, name="applications"),
    path("expo/<int:exhibition_id>/applications/<int:app_id>/", views.application_detail, name="application"),
    path("expo/<int:exhibition_id>/applications/<int:app_id>/documents/<int:doc_id>/", views.document_staff,
         name="document_staff"),
    path("expo/<int:exhibition_id>/runs/", views.run_start, name="run_start"),
    path("expo/<int:exhibition_id>/runs/<int:run_id>/", views.run_detail, name="run"),
    path("expo/<int:exhibition_id>/runs/<int:run_id>/progress/", views.run_progress, name="run_progress"),
    path("expo/<int:exhibition_id>/runs/<int:run_id>/apply/", views.run_apply, name="run_apply"),
    path("events/<int:pk>/exhibitors/", views.public_exhibitors, name="public_exhibitors"),
    path("events/<int:pk>/apply/", views.apply, name="apply"),
    path("exhibitor/<str:token>/", views.exhibitor_page, name="exhibitor_page"),
    path("exhibitor/<str:token>/documents/<int:doc_id>/", views.document_exhibitor, name="document_exhibitor"),
    path("exhibitor/<str:token>/invoices/<int:invoice_id>.pdf", views.invoice_exhibitor, name="invoice_exhibitor"),
]
