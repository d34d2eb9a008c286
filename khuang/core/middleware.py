"""Language choice: pages are Thai unless the visitor picked English; the API follows Accept-Language."""

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

SUPPORTED = {code for code, _ in settings.LANGUAGES}


class KhuangLocaleMiddleware(LocaleMiddleware):
    """`?lang=en` or the language cookie choose; else the API honours Accept-Language and pages use Thai."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.GET.get("lang") or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in SUPPORTED:
            language = chosen
        elif request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
