"""One error shape for the whole API."""

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.db import conflict_from
from core.errors import Conflict
from core.http import InvalidParameter


def _first_message(fields: dict) -> str:
    for messages in fields.values():
        for message in messages if isinstance(messages, list) else [messages]:
            return str(message)
    return _("The request has errors.")


def exception_handler(exc, context):
    """One error shape for the whole API: ``{"code", "message", "fields"}``, in the request's language.

    A write that lost a race to a database constraint is a 409 with the constraint's message; a body
    too large is a 413 and another refused request (a parameter out of range) a 400, in this shape
    rather than Django's HTML pages."""
    if isinstance(exc, IntegrityError):
        exc = conflict_from(exc)
    elif isinstance(exc, RequestDataTooBig):
        return Response(
            {"code": "too_large", "message": _("The request body is too large."), "fields": {}},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif isinstance(exc, InvalidParameter):
        return Response({"code": "invalid", "message": str(exc), "fields": {}}, status=status.HTTP_400_BAD_REQUEST)
    elif isinstance(exc, (BadRequest, SuspiciousOperation)):
        return Response(
            {"code": "invalid", "message": _("The request was refused as malformed."), "fields": {}},
            status=status.HTTP_400_BAD_REQUEST,
        )
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
