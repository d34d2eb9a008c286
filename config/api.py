"""Mounts each app's router on the one API at /api/."""

from ninja import NinjaAPI

from khuang.bookings import api as bookings_api
from khuang.core.api import install_error_handlers
from khuang.exhibitions import api as exhibitions_api
from khuang.finance import api as finance_api
from khuang.operations import api as operations_api
from khuang.planning import api as planning_api
from khuang.reports import api as reports_api
from khuang.venues import api as venues_api

api = NinjaAPI(
    title="Khuang API",
    version="1",
    description="Spaces, bookings, plans and reports of Khuang. Errors are JSON: {detail, field}.",
    urls_namespace="api",
)
install_error_handlers(api)

# Every app's router, mounted explicitly: a missing or misspelt module fails at start-up instead of silently
# unmounting an app. (`public` has pages and feeds only, no API router.)
for app_api in (venues_api, bookings_api, planning_api, finance_api, reports_api, operations_api,
                exhibitions_api):
    api.add_router("/", app_api.router)
