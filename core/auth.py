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


LOCKED_MESSAGE = _("Too many failed sign-in attempts. Please wait %(minutes)d minutes and try again.")


def sign_in_locked(request, username: str) -> dict | None:
    """The parameters of ``LOCKED_MESSAGE`` when ``username`` may not sign in from this address now:
    after ``PARKOPS_LOGIN_MAX_FAILURES`` failed attempts, for ``PARKOPS_LOGIN_LOCKOUT_SECONDS``, even
    with the right password. The portal, the admin and the API's token endpoint share the count."""
    if username and cache.get(_throttle_key(request, username), 0) >= settings.PARKOPS_LOGIN_MAX_FAILURES:
        return {"minutes": settings.PARKOPS_LOGIN_LOCKOUT_SECONDS // 60}
    return None


def sign_in_failed(request, username: str) -> None:
    if username:
        key = _throttle_key(request, username)
        cache.set(key, cache.get(key, 0) + 1, settings.PARKOPS_LOGIN_LOCKOUT_SECONDS)


class ThrottledAuthenticationForm(AuthenticationForm):
    """Sign-in refused while the account is locked from this address (``sign_in_locked``)."""

    error_messages = {**AuthenticationForm.error_messages, "locked": LOCKED_MESSAGE}

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        locked = sign_in_locked(self.request, username)
        if locked:
            raise ValidationError(self.error_messages["locked"], code="locked", params=locked)
        try:
            return super().clean()
        except ValidationError:
            sign_in_failed(self.request, username)
            raise
