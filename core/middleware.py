"""Refusing, before any view, input that can only end in a server error."""

from django.http import JsonResponse
from django.utils.translation import gettext as _

from .http import InvalidParameter

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)


class RefuseNulMiddleware:
    """A query parameter or form field holding a NUL character is a 400: PostgreSQL cannot store or
    compare text with one, so such a value could only ever end in a server error. The API answers
    in its JSON error shape; its JSON bodies are checked by ``core.api.parsers``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = _holds_nul(request.GET) or (
            request.method == "POST"
            and request.content_type in FORM_TYPES
            and not request.path.startswith("/api/")
            and _holds_nul(request.POST)
        )
        if refused:
            message = _("Text may not contain the NUL character.")
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "message": message, "fields": {}}, status=400)
            raise InvalidParameter(message)
        return self.get_response(request)
