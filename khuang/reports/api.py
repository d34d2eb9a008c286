"""KPI endpoint: parse the query, call one selector, return JSON."""

from django.http import HttpRequest
from ninja import Query, Router

from khuang.accounts.auth import api_auth
from khuang.core.api import ErrorOut
from khuang.core.inputs import fiscal_year_parse

from . import selectors
from .schemas import KpiQuery, KpiReportOut

router = Router(tags=["reports"], auth=api_auth)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/kpis", response={200: KpiReportOut, **ERRORS})
def get_kpis(request: HttpRequest, query: Query[KpiQuery]):
    """KPIs of a venue (optionally one space) for a fiscal year, with targets and the previous year's values.

    Center staff and viewers (executives) may read them; agency planners may not.
    """
    selectors.check_may_read(request.auth)
    fy = fiscal_year_parse(query.fiscal_year)
    return selectors.kpi_report(fy, query.venue, query.space or None)
