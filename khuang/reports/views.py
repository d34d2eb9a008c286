"""Report pages and exports: parse the year and venue, call one selector, render."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from khuang.core.errors import ApplicationError
from khuang.core.thaidates import fiscal_year, fiscal_year_bounds, format_date

from . import charts, display, exports, selectors


def _refuse(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return render(request, "reports/error.html", {"message": exc.message}, status=exc.status_code)


def _report(request: HttpRequest, fy: str | None) -> dict:
    selectors.check_may_read(request.user)
    year = selectors.fiscal_year_parse(fy) if fy else fiscal_year(timezone.localdate())
    return selectors.kpi_report(year, request.GET.get("venue") or None, request.GET.get("space") or None,
                                viewer=request.user)


def _guarded(view: Callable[[HttpRequest, dict], HttpResponse]):
    @login_required
    def wrapper(request: HttpRequest, fy: str | None = None) -> HttpResponse:
        try:
            report = _report(request, fy)
        except ApplicationError as exc:
            return _refuse(request, exc)
        return view(request, report)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@_guarded
def dashboard(request: HttpRequest, report: dict) -> HttpResponse:
    """KPI tiles against targets and last year, a space × month utilization heatmap, activities by month."""
    heat_rows = [{**row, "cells": [(v, _heat(v)) for v in row["months"]]} for row in report["utilization"]["spaces"]]
    context = {
        "r": display.with_texts(report), "heat_rows": heat_rows,
        "monthly_png": charts.data_uri(charts.monthly_by_type(report)) if not report["empty"] else "",
        "prev_fy": report["fiscal_year"] - 1, "next_fy": report["fiscal_year"] + 1,
        "query": request.GET.urlencode(), "period": _period(report["fiscal_year"]),
    }
    return render(request, "reports/dashboard.html", context)


def _period(fy: int) -> str:
    lang = translation.get_language() or "th"
    first, last = fiscal_year_bounds(fy)
    return f"{format_date(first, lang)} – {format_date(last, lang)}"


def _heat(value: float | None) -> str:
    """Background colour of a heatmap cell: paler for low utilization."""
    if value is None:
        return "#f1f1f1"
    step = min(int(value // 10), 9)
    return ["#fff8ee", "#fdebd3", "#fbd9ad", "#f8c384", "#f4a95c", "#ec8d3c", "#d9712a", "#bd5a20", "#9c461a",
            "#7a3514"][step]


@_guarded
def ministry_xlsx(request: HttpRequest, report: dict) -> HttpResponse:
    """The ministry workbook, one sheet per section."""
    body = exports.ministry_xlsx(report)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="khuang-fy{report["fiscal_year"]}-ministry.xlsx"'
    return response


@login_required
def ministry_pdf(request: HttpRequest, fy: str) -> HttpResponse:
    """The ministry report in Thai as PDF (always Thai, whatever the page language)."""
    with translation.override("th"):
        try:
            report = _report(request, fy)
        except ApplicationError as exc:
            return _refuse(request, exc)
        body = exports.ministry_pdf(report)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="khuang-fy{report["fiscal_year"]}-ministry.pdf"'
    return response

