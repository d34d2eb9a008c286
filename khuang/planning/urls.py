"""Pages of the annual plan, mounted at /plan/."""

from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    path("", views.board_page, name="board"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/new/", views.proposal_new, name="proposal_new"),
    path("proposals/template.xlsx", views.proposal_template, name="proposal_template"),
    path("proposals/import/", views.proposal_import, name="proposal_import"),
    path("proposals/<int:proposal_id>/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:proposal_id>/<slug:status>/", views.proposal_status, name="proposal_status"),
    path("settings/", views.settings_page, name="settings"),
    path("runs/", views.run_start, name="run_start"),
    path("plans/compare/", views.plan_compare, name="plan_compare"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/progress/", views.plan_progress, name="plan_progress"),
    path("plans/<int:plan_id>/stop/", views.plan_stop, name="plan_stop"),
    path("plans/<int:plan_id>/restart/", views.plan_restart, name="plan_restart"),
    path("plans/<int:plan_id>/resolve/", views.plan_resolve, name="plan_resolve"),
    path("plans/<int:plan_id>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:plan_id>/items/<int:item_id>/pin/", views.item_pin, name="item_pin"),
]
