"""URL wiring only: each app brings its own urls.py."""

from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("spaces/", include("khuang.venues.urls")),
    path("", include("khuang.system.urls")),  # /healthz
]
# Apps mount their pages when they have them; the public calendar takes the site root.
for module, prefix in (
    ("khuang.bookings.urls", "diary/"),
    ("khuang.planning.urls", "plan/"),
    ("khuang.reports.urls", "reports/"),
    ("khuang.exhibitions.urls", ""),
    ("khuang.finance.urls", "finance/"),
    ("khuang.operations.urls", "ops/"),
    ("khuang.public.urls", ""),
):
    if find_spec(module) is not None:
        urlpatterns.append(path(prefix, include(module)))
if find_spec("khuang.public.urls") is None:
    urlpatterns.append(path("", RedirectView.as_view(url="/spaces/", permanent=False)))
