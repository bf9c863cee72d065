"""Reading what a request carries: the client's address behind trusted proxies, and parameters
that must parse or be answered with a clear 400."""

import datetime

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

from .validators import EARLIEST_DATE, LATEST_DATE, OUT_OF_RANGE


class InvalidParameter(BadRequest):
    """A query parameter that does not parse; its message is shown to the user (400)."""


def client_address(request) -> str:
    """The address of the client as the trusted proxy chain reports it.

    With ``PARKOPS_TRUSTED_PROXIES`` = 0 (no proxy in front), the connection's own address; with N
    proxies, the address the outermost of them saw, read from the right end of X-Forwarded-For, so
    that whatever a client writes there itself is never taken for its address.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PARKOPS_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    return hops[-min(proxies, len(hops))] if hops else remote


def day_parameter(request, name: str, default: datetime.date) -> datetime.date:
    """The day in ``?name=YYYY-MM-DD``, ``default`` when absent; a 400 when it is no date or lies
    outside the dates ParkOps keeps (2000–2100)."""
    text = request.GET.get(name, "")
    if not text:
        return default
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise InvalidParameter(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text[:40]}) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise InvalidParameter(str(OUT_OF_RANGE))
    return day
