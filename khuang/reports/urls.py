from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<str:fy>/", views.dashboard, name="dashboard_year"),
    path("<str:fy>/ministry.xlsx", views.ministry_xlsx, name="ministry_xlsx"),
    path("<str:fy>/ministry.pdf", views.ministry_pdf, name="ministry_pdf"),
]
