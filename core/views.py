"""Error pages."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from .http import InvalidParameter


def bad_request(request, exception):
    """400: what was wrong with the request when ParkOps itself said so (``InvalidParameter``);
    Django's own refusals are not described, as they may echo what the client sent."""
    detail = str(exception) if isinstance(exception, InvalidParameter) else _("The request was refused as malformed.")
    return render(request, "400.html", {"detail": detail}, status=400)
