"""Request-wide behaviour that Django's own middleware does not quite give."""

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class FrenchFirstLocaleMiddleware(LocaleMiddleware):
    """Speak French unless the person chose another language with the switch.

    Django would follow the browser's Accept-Language, but Jalon's users share
    machines and browsers set to English while working in French: the choice is theirs,
    remembered in the language cookie, and French until they make it."""

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
