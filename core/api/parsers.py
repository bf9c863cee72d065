"""The API's JSON parser, with a size and a nesting limit.

DRF's parser reads a body of any size and hands any nesting to ``json.load``, whose recursion a
2 KB body of 1,000 brackets exhausts (a server error). Here a body above ``API_MAX_JSON_BYTES`` is
refused with 413, and one nested deeper than ``API_MAX_JSON_DEPTH`` or holding a NUL character
(which PostgreSQL cannot store in text) with 400, before it is decoded, in the API's error shape.
"""

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text``, brackets inside strings left out."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _holds_nul(data) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(_holds_nul(key) or _holds_nul(value) for key, value in data.items())
    if isinstance(data, list):
        return any(_holds_nul(item) for item in data)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_JSON_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge(_("The request body is larger than %(limit)d KB.") % {"limit": limit // 1024})
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise exceptions.ParseError(
                _("The request body is not text in %(encoding)s.") % {"encoding": encoding}
            ) from error
        if json_depth(text) > settings.API_MAX_JSON_DEPTH:
            raise exceptions.ParseError(
                _("The JSON is nested more than %(depth)d levels deep.") % {"depth": settings.API_MAX_JSON_DEPTH}
            )
        try:
            data = json.loads(text, parse_constant=self._refuse_constant)
        except ValueError as error:
            raise exceptions.ParseError(_("The request body is not valid JSON.")) from error
        if _holds_nul(data):
            raise exceptions.ParseError(_("Text may not contain the NUL character."))
        return data

    @staticmethod
    def _refuse_constant(name: str):
        raise ValueError(f"{name} is not JSON")
