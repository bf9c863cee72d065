"""Halls: each hall's week, booking requests priced before confirming, cancellations."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import add_service_errors
from core.http import day_parameter
from events.models import Hall
from events.selectors import booking_list_for, halls_day_or_week, week_calendar
from events.services import booking_cancel, booking_quote, booking_request

from ..access import tenant_required
from ..forms import PortalBookingForm


@tenant_required
def hall_list(request):
    return render(
        request,
        "portal/hall_list.html",
        {
            "halls": Hall.objects.filter(is_active=True).order_by("name_zh"),
            "bookings": booking_list_for(user=request.user).order_by("-starts_at")[:30],
        },
    )


@tenant_required
@require_http_methods(["GET", "POST"])
def hall_detail(request, pk: int):
    """The hall's week, a booking form; the price is shown for confirmation before anything is saved."""
    hall = get_object_or_404(Hall, pk=pk, is_active=True)
    # A free hour clicked in the halls' day grid arrives as ?day=&starts=&ends=: the form starts there.
    chosen = {key: request.GET[key] for key in ("day", "starts", "ends") if key in request.GET}
    form = PortalBookingForm(request.POST or None, initial=chosen)
    preview = None
    if request.method == "POST" and form.is_valid():
        booking = form.booking(hall=hall, company=request.membership.company, user=request.user)
        try:
            if "confirm" in request.POST:
                booking_request(booking=booking)
                messages.success(
                    request,
                    _("Booking requested: %(title)s. The operations team confirms it; you will be notified.")
                    % {"title": booking.title},
                )
                return redirect("portal:halls")
            preview = booking_quote(booking=booking)
        except ValidationError as error:
            add_service_errors(form, error)
    days = week_calendar(
        hall=hall, week_of=day_parameter(request, "week", day_parameter(request, "day", timezone.localdate()))
    )
    return render(
        request,
        "portal/hall_detail.html",
        {
            "hall": hall,
            "form": form,
            "preview": preview,
            "days": days,
            "previous_week": days[0].date - datetime.timedelta(days=7),
            "next_week": days[0].date + datetime.timedelta(days=7),
        },
    )


@tenant_required
@require_POST
def booking_cancel_view(request, pk: int):
    booking = get_object_or_404(booking_list_for(user=request.user), pk=pk)
    try:
        booking_cancel(booking=booking, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect("portal:halls")


@tenant_required
def halls_grid(request):
    """Every hall's day hour by hour (free hours open the booking form at that hour), or with
    ``?week=`` their week (a day's free hours open that day); other companies' bookings show as
    booked without their titles."""
    today = timezone.localdate()
    week_of = day_parameter(request, "week", today) if "week" in request.GET else None
    context = halls_day_or_week(
        day=day_parameter(request, "day", today),
        week_of=week_of,
        viewer_company_id=request.membership.company_id,
        staff=False,
    )
    return render(request, "portal/hall_grid.html", context)
