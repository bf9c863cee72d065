"""The portal's first page: the company at a glance."""

from decimal import Decimal

from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone

from apartments.models import BedAllocation
from apartments.selectors import allocation_list_for
from billing.selectors import bill_list_for
from events.models import Booking
from events.selectors import booking_list_for
from leases.selectors import lease_list_for
from servicedesk.models import ServiceRequest
from servicedesk.selectors import service_request_list_for
from tenants.models import Notice

from ..access import tenant_required


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
            total=Coalesce(Sum(F("amount_due") - F("amount_paid")), Decimal("0"))
        )["total"],
        "bookings": booking_list_for(user=user)
        .select_related(None)
        .select_related("hall")
        .filter(status__in=[Booking.Status.REQUESTED, Booking.Status.APPROVED], ends_at__gte=timezone.now())
        .order_by("starts_at")[:5],
        "requests": service_request_list_for(user=user)
        .select_related(None)
        .exclude(status__in=[ServiceRequest.Status.RESOLVED, ServiceRequest.Status.CLOSED])[:5],
        "residents": allocation_list_for(user=user)
        .select_related(None)
        .select_related("bed__room__unit")
        .filter(occupied_until__gt=today)
        .exclude(status=BedAllocation.Status.CANCELLED)[:10],
        "notices": Notice.objects.filter(
            Q(company__isnull=True) | Q(company=request.membership.company), published_at__lte=timezone.now()
        )[:5],
    }
    return render(request, "portal/dashboard.html", context)
