"""The center's KPIs and ministry exports: center staff and executive viewers only (not agency members)."""

from . import Row

ROWS = [
    #   method route                                 anon staff plan planB view viewB none exec
    Row("GET", "/api/kpis",                          "401  200   403  403   403  403   403  200",
        url="/api/kpis?fiscal_year={fy}"),
    Row("GET", "reports/",                           "302  200   403  403   403  403   403  200",
        url="/reports/"),
    Row("GET", "reports/<str:fy>/",                  "302  200   403  403   403  403   403  200",
        url="/reports/{fy}/"),
    Row("GET", "reports/<str:fy>/ministry.xlsx",     "302  200   403  403   403  403   403  200",
        url="/reports/{fy}/ministry.xlsx"),
    Row("GET", "reports/<str:fy>/ministry.pdf",      "302  200   403  403   403  403   403  200",
        url="/reports/{fy}/ministry.pdf"),
]
