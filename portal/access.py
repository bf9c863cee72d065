"""Who may enter the tenant portal."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from tenants.selectors import tenant_membership


def tenant_required(view):
    """Signed-in users of a tenant company only; ``request.membership`` is theirs. Staff are sent away."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        membership = tenant_membership(request.user)
        if membership is None:
            raise PermissionDenied
        request.membership = membership
        return view(request, *args, **kwargs)

    return wrapped
