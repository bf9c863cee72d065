"""Signing in: by username or email, with failed attempts throttled per account and address."""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class EmailOrUsernameBackend(ModelBackend):
    """Accepts the username or, when it contains @, the email address of an active user."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            user = get_user_model().objects.filter(email__iexact=username.strip(), is_active=True).first()
            username = user.get_username() if user else username
        return super().authenticate(request, username=username, password=password, **kwargs)


def _throttle_key(request, username: str) -> str:
    """The account is hashed into the key: whatever is typed as a username, the key stays short and
    free of spaces and control characters, as every cache backend requires."""
    address = request.META.get("REMOTE_ADDR", "") if request else ""
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return f"login-failures:{account}:{address}"


class ThrottledAuthenticationForm(AuthenticationForm):
    """After ``PARKOPS_LOGIN_MAX_FAILURES`` failed attempts for one account from one address, further
    attempts are refused for ``PARKOPS_LOGIN_LOCKOUT_SECONDS``, even with the right password."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed sign-in attempts. Please wait %(minutes)d minutes and try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        key = _throttle_key(self.request, username)
        if username and cache.get(key, 0) >= settings.PARKOPS_LOGIN_MAX_FAILURES:
            raise ValidationError(self.error_messages["locked"], code="locked",
                                  params={"minutes": settings.PARKOPS_LOGIN_LOCKOUT_SECONDS // 60})
        try:
            return super().clean()
        except ValidationError:
            if username:
                cache.set(key, cache.get(key, 0) + 1, settings.PARKOPS_LOGIN_LOCKOUT_SECONDS)
            raise
