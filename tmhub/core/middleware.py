"""Chinese first: the UI language is the user's explicit choice, else zh-hans.

Django's LocaleMiddleware would follow the browser's Accept-Language; the platform's users work
in Chinese and switch to English deliberately (the language cookie set by /i18n/setlang/).
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
