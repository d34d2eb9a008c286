"""URL wiring only: each app brings its own urls.py."""

from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("spaces/", include("khuang.venues.urls")),
    path("", include("khuang.system.urls")),  # /healthz
    path("diary/", include("khuang.bookings.urls")),
    path("plan/", include("khuang.planning.urls")),
    path("reports/", include("khuang.reports.urls")),
    path("", include("khuang.exhibitions.urls")),
    path("finance/", include("khuang.finance.urls")),
    path("ops/", include("khuang.operations.urls")),
    path("", include("khuang.public.urls")),  # the public calendar takes the site root
]
