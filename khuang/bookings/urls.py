"""Diary pages, mounted at /diary/."""

from django.urls import path

from . import views

app_name = "bookings"
urlpatterns = [
    path("", views.diary_page, name="diary"),
    path("new/", views.booking_new, name="booking_new"),
    path("bookings/<int:booking_id>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:booking_id>/<slug:action>/", views.booking_action, name="booking_action"),
    path("spaces/<str:code>.ics", views.space_ics, name="space_ics"),
]
