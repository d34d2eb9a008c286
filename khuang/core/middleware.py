"""Language choice: pages are Thai unless the visitor picked English; the API follows Accept-Language."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _ in settings.LANGUAGES}


class KhuangLocaleMiddleware(LocaleMiddleware):
    """`?lang=en` or the language cookie choose; else the API honours Accept-Language and pages use Thai.

    A page asked for with `?lang=` also stores that choice in the language cookie, so every later page, form
    post and htmx fragment of the visit stays in the chosen language without carrying the parameter along.
    """

    def process_request(self, request: HttpRequest) -> None:
        asked = request.GET.get("lang")
        asked = asked if asked in SUPPORTED else None
        chosen = asked or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in SUPPORTED:
            language = chosen
        elif request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        request.khuang_lang_asked = asked

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response = super().process_response(request, response)
        if request.path.startswith("/api/"):
            return response
        patch_vary_headers(response, ("Cookie",))  # the same address answers in the visitor's language
        asked = getattr(request, "khuang_lang_asked", None)
        if asked and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != asked:
            remember_language(response, asked)
        return response


def remember_language(response: HttpResponse, language: str) -> None:
    """Store the visitor's language in the cookie Django's own language switch uses."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _has_nul(request: HttpRequest) -> str | None:
    """The name of the first query or form field holding a NUL character, or "body" for a JSON body."""
    sources = [request.GET]
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        sources.append(request.POST)
    for source in sources:
        for key, values in source.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return key.replace("\x00", "")
    if request.content_type == "application/json" and request.body and (
            b"\\u0000" in request.body or b"\x00" in request.body):
        return "body"
    return None


class RejectNulMiddleware:
    """Text with NUL characters can be stored by no database (PostgreSQL refuses it): say so instead of failing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        from django.http import HttpResponseBadRequest, JsonResponse
        from django.utils.translation import gettext as _

        field = _has_nul(request)
        if field is None:
            return self.get_response(request)
        message = _("Text may not contain NUL (\\0) characters.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "field": field}, status=400)
        return HttpResponseBadRequest(message)


class BoundedIdsMiddleware:
    """A number in the URL larger than any 64-bit key names nothing: answer 404 instead of letting the database
    overflow (SQLite raises OverflowError, PostgreSQL an out-of-range error)."""

    MAX_ID = 2**63 - 1

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        from django.http import Http404, JsonResponse
        from django.utils.translation import gettext as _

        values = [*view_args, *view_kwargs.values()]
        if not any(isinstance(v, int) and not isinstance(v, bool) and abs(v) > self.MAX_ID for v in values):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Not found.")}, status=404)
        raise Http404(_("Not found."))
