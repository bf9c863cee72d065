"""One error shape for the whole API."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Conflict


def _first_message(fields: dict) -> str:
    for messages in fields.values():
        for message in messages if isinstance(messages, list) else [messages]:
            return str(message)
    return _("The request has errors.")


def exception_handler(exc, context):
    """One error shape for the whole API: ``{"code", "message", "fields"}``, in the request's language."""
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        code = "conflict" if isinstance(exc, Conflict) else "invalid"
        http_status = status.HTTP_409_CONFLICT if isinstance(exc, Conflict) else status.HTTP_400_BAD_REQUEST
        return Response({"code": code, "message": _first_message(fields), "fields": fields}, status=http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"code": "invalid", "message": _first_message(fields), "fields": fields}
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
        response.data = {"code": code, "message": str(exc.detail), "fields": {}}
    return response
