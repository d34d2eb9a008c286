"""Sign-in, language, the admin and the API's own pages."""

from . import Row

ROWS = [
    #   method  route                                          anon staff plan planB view viewB none exec
    Row("GET",  "accounts/login/",                             "200  200   200  200   200  200   200  200"),
    Row("POST", "accounts/logout/",                            "302  302   302  302   302  302   302  302"),
    Row("GET",  "accounts/password_change/",                   "302  200   200  200   200  200   200  200"),
    Row("GET",  "accounts/password_change/done/",              "302  200   200  200   200  200   200  200"),
    Row("GET",  "accounts/password_reset/",                    "200  200   200  200   200  200   200  200"),
    Row("GET",  "accounts/password_reset/done/",               "200  200   200  200   200  200   200  200"),
    Row("GET",  "accounts/reset/<uidb64>/<token>/",            "200  200   200  200   200  200   200  200",
        url="/accounts/reset/MQ/not-a-token/"),
    Row("GET",  "accounts/reset/done/",                        "200  200   200  200   200  200   200  200"),
    Row("POST", "i18n/setlang/",                               "302  302   302  302   302  302   302  302",
        body={"language": "en", "next": "/"}),
    # The admin is for people marked as staff in Django (center staff); everyone else is sent to its login.
    Row("GET",  "admin/",                                      "302  200   302  302   302  302   302  302",
        url="/admin/"),
    Row("GET",  "api/docs",                                    "200  200   200  200   200  200   200  200",
        url="/api/docs"),
    Row("GET",  "api/openapi.json",                            "200  200   200  200   200  200   200  200",
        url="/api/openapi.json"),
    # Health is for the proxy and the supervisor: open to all, it names checks, never data.
    Row("GET",  "healthz",                                     "200  200   200  200   200  200   200  200",
        url="/healthz"),
    Row("GET",  "api/",                                        "404  404   404  404   404  404   404  404",
        url="/api/"),
]
