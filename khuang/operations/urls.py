"""Operations pages, mounted at /ops/."""

from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("", views.home, name="home"),
    path("equipment/", views.equipment_page, name="equipment"),
    path("equipment/new/", views.equipment_new, name="equipment_new"),
    path("equipment/repairs/", views.equipment_repair, name="equipment_repair"),
    path("equipment/repairs/<int:repair_id>/end/", views.equipment_repair_end, name="equipment_repair_end"),
    path("equipment/<int:item_id>/stock/", views.equipment_stock, name="equipment_stock"),
    path("bookings/<int:booking_id>/", views.booking_page, name="booking"),
    path("bookings/<int:booking_id>/equipment/", views.booking_equipment, name="booking_equipment"),
    path("bookings/<int:booking_id>/event-order/", views.event_order_new, name="event_order_new"),
    path("event-orders/<int:eo_id>/", views.event_order_page, name="event_order"),
    path("event-orders/<int:eo_id>/edit/", views.event_order_edit, name="event_order_edit"),
    path("event-orders/<int:eo_id>/send/", views.event_order_send, name="event_order_send"),
    path("event-orders/<int:eo_id>/pdf/", views.event_order_pdf, name="event_order_pdf"),
    path("event-orders/<int:eo_id>/<slug:kind>/add/", views.event_order_add, name="event_order_add"),
    path("event-orders/<int:eo_id>/<slug:kind>/<int:child_id>/delete/", views.event_order_remove,
         name="event_order_remove"),
    path("day/", views.daily_sheet, name="day_today"),
    path("day/<str:day>/", views.daily_sheet, name="day"),
    path("day/<str:day>/pdf/", views.daily_sheet_pdf, name="day_pdf"),
    path("people/", views.people_page, name="people"),
    path("people/new/", views.member_new, name="member_new"),
    path("people/<int:member_id>/", views.member_page, name="member"),
    path("people/<int:member_id>/edit/", views.member_edit, name="member_edit"),
    path("people/<int:member_id>/leave/", views.member_leave, name="member_leave"),
    path("people/<int:member_id>/leave/<int:leave_id>/delete/", views.member_leave_remove,
         name="member_leave_remove"),
    path("people/<int:member_id>/schedule/", views.schedule, name="schedule"),
    path("me/", views.my_schedule, name="my_schedule"),
]
