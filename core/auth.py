"""Signing in: by username or email, with failed attempts throttled per account and address."""

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .http import client_address


class EmailOrUsernameBackend(ModelBackend):
    """Accepts the username or, when it contains @, the email address of an active user."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            user = get_user_model().objects.filter(email__iexact=username.strip(), is_active=True).first()
            username = user.get_username() if user else username
        return super().authenticate(request, username=username, password=password, **kwargs)


def _counters(request, username: str) -> list[tuple[str, int]]:
    """The failure counters an attempt counts against, with their limits: the account from this
    address, and the address across all accounts. The account is hashed into the key: whatever is
    typed as a username, the key stays short and free of spaces and control characters."""
    address = client_address(request) if request else ""
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [
        (f"login-failures:{account}:{address}", settings.PARKOPS_LOGIN_MAX_FAILURES),
        (f"login-failures-address:{address}", settings.PARKOPS_LOGIN_MAX_FAILURES_PER_ADDRESS),
    ]


LOCKED_MESSAGE = _("Too many failed sign-in attempts. Please wait %(minutes)d minutes and try again.")


def sign_in_begin(request, username: str) -> dict | None:
    """Count this attempt before the password is checked; the parameters of ``LOCKED_MESSAGE`` when
    it is refused: after ``PARKOPS_LOGIN_MAX_FAILURES`` failures for the account from this address,
    or ``PARKOPS_LOGIN_MAX_FAILURES_PER_ADDRESS`` from the address, for
    ``PARKOPS_LOGIN_LOCKOUT_SECONDS``, even with the right password.

    Each counter takes one atomic increment (``add`` then ``incr``, as the API throttles do), so of
    many attempts at once no more than the limit reach the password check. The portal, the admin
    and the API's token endpoint share the counters. While the cache is unreachable attempts go ahead.
    """
    if not username:
        return None
    locked = False
    for key, limit in _counters(request, username):
        cache.add(key, 0, settings.PARKOPS_LOGIN_LOCKOUT_SECONDS)
        try:
            locked |= cache.incr(key) > limit
        except ValueError:  # the counter is gone (evicted, or the cache is unreachable)
            continue
    return {"minutes": settings.PARKOPS_LOGIN_LOCKOUT_SECONDS // 60} if locked else None


def sign_in_succeeded(request, username: str) -> None:
    """The attempt counted by ``sign_in_begin`` was not a failure: take it back. Without a username
    nothing was counted, and nothing is taken back (else blank posts would wear the address's count down)."""
    if not username:
        return
    for key, _limit in _counters(request, username):
        try:
            cache.decr(key)
        except ValueError:
            continue


class ThrottledAuthenticationForm(AuthenticationForm):
    """Sign-in refused while the account or the address is locked (``sign_in_begin``)."""

    error_messages = {**AuthenticationForm.error_messages, "locked": LOCKED_MESSAGE}

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        locked = sign_in_begin(self.request, username)
        if locked:
            raise ValidationError(self.error_messages["locked"], code="locked", params=locked)
        cleaned = super().clean()  # a refusal leaves the attempt counted as a failure
        sign_in_succeeded(self.request, username)
        return cleaned
