"""Public pages and feeds, mounted at the site root."""

from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "public"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="public:event_list", permanent=False), name="home"),
    path("events/", views.event_list, name="event_list"),
    path("events/calendar/", views.event_calendar, name="event_calendar"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>.ics", views.event_ics, name="event_ics"),
    path("events/<int:pk>/register/", views.event_register, name="event_register"),
    path("events/ticket/<str:code>/", views.ticket, name="ticket"),
    path("events/ticket/<str:code>/cancel/", views.ticket_cancel, name="ticket_cancel"),
    path("events/check-in/", views.checkin_events, name="checkin_events"),
    path("events/<int:pk>/check-in/", views.checkin, name="checkin"),
    path("events/<int:pk>/registrations.csv", views.registrations_csv, name="registrations_csv"),
    path("calendar.ics", views.calendar_ics, name="calendar_ics"),
    path("calendar/type/<str:event_type>.ics", views.calendar_ics, name="calendar_ics_type"),
    path("calendar/agency/<str:agency>.ics", views.calendar_ics, name="calendar_ics_agency"),
    path("calendar.json", views.calendar_json, name="calendar_json"),
]
