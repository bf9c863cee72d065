"""POST /api/v1/auth/token/: a token for a username (or email address) and password.

DRF's own view turns throttling off; this one counts callers like every other API call, and
shares the portal's and the admin's lockout of an account after repeated failures
(``core.auth.sign_in_begin``), so the API is no back door for guessing passwords.
"""

from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.settings import api_settings

from core.auth import LOCKED_MESSAGE, sign_in_begin, sign_in_succeeded


class LockableAuthTokenSerializer(AuthTokenSerializer):
    def validate(self, attrs):
        request, username = self.context.get("request"), attrs.get("username") or ""
        locked = sign_in_begin(request, username)
        if locked:
            raise serializers.ValidationError(LOCKED_MESSAGE % locked, code="locked")
        validated = super().validate(attrs)  # a refusal leaves the attempt counted as a failure
        sign_in_succeeded(request, username)
        return validated


class ObtainTokenView(ObtainAuthToken):
    """DRF's view names its own parsers and no throttles; this one uses the API's (size and depth
    limits on JSON, the rates of every other call)."""

    serializer_class = LockableAuthTokenSerializer
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    throttle_classes = api_settings.DEFAULT_THROTTLE_CLASSES
