"""The tenant portal's frame: who may enter, signing in and out, the dashboard."""

from decimal import Decimal
from functools import wraps

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import timezone

from events.models import Booking
from events.selectors import booking_list_for
from leases.models import BedAllocation, ServiceRequest
from leases.selectors import allocation_list_for, bill_list_for, lease_list_for, service_request_list_for
from tenants.models import Notice
from tenants.selectors import tenant_membership

from .auth import ThrottledAuthenticationForm


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


class LoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "portal/password_reset.html"
    email_template_name = "portal/password_reset_email.txt"
    success_url = reverse_lazy("portal:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "portal/password_reset_confirm.html"
    success_url = reverse_lazy("portal:login")


@tenant_required
def dashboard(request):
    """The company's page at a glance. Each list reads only what it shows (the selectors' joins of
    the company, say, are dropped): this is the portal's busiest page."""
    user, today = request.user, timezone.localdate()
    leases = lease_list_for(user=user).select_related(None).filter(status__in=["signed", "active"])
    open_bills = bill_list_for(user=user).select_related(None).prefetch_related(None).open()
    context = {
        "company": request.membership.company,
        "leases": leases.order_by("starts_on"),
        "next_bills": open_bills.order_by("due_on")[:5],
        "arrears": open_bills.filter(due_on__lt=today).aggregate(
            total=Coalesce(Sum(F("amount") - F("amount_paid")), Decimal("0"))
        )["total"],
        "bookings": booking_list_for(user=user).select_related(None).select_related("hall").filter(
            status__in=[Booking.Status.REQUESTED, Booking.Status.APPROVED], ends_at__gte=timezone.now()
        ).order_by("starts_at")[:5],
        "requests": service_request_list_for(user=user).select_related(None).exclude(
            status__in=[ServiceRequest.Status.RESOLVED, ServiceRequest.Status.CLOSED]
        )[:5],
        "residents": allocation_list_for(user=user).select_related(None).select_related("bed__room__unit").filter(
            occupied_until__gt=today).exclude(status=BedAllocation.Status.CANCELLED)[:10],
        "notices": Notice.objects.filter(Q(company__isnull=True) | Q(company=request.membership.company),
                                         published_at__lte=timezone.now())[:5],
    }
    return render(request, "portal/dashboard.html", context)
