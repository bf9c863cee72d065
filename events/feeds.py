"""The iCalendar feed of a hall, for calendar apps to subscribe to (the URL carries the hall's token)."""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone

from .models import Booking, Hall

FEED_DAYS_BACK, FEED_DAYS_AHEAD = 30, 365


def hall_ical(*, hall: Hall) -> bytes:
    """Approved and requested bookings from a month ago to a year ahead. Tenants' titles stay
    private: the feed says only that the hall is booked, unless the booking is for a public event."""
    now = timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//ParkOps//Lingnan Digital Creative Building//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", hall.name_zh)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    bookings = (
        Booking.objects.filter(
            hall=hall,
            status__in=[Booking.Status.REQUESTED, Booking.Status.APPROVED, Booking.Status.COMPLETED],
            ends_at__gte=now - datetime.timedelta(days=FEED_DAYS_BACK),
            starts_at__lte=now + datetime.timedelta(days=FEED_DAYS_AHEAD),
        )
        .select_related("event")
        .order_by("starts_at")
    )
    for booking in bookings:
        event = icalendar.Event()
        event.add("uid", f"booking-{booking.pk}@parkops")
        event.add("dtstamp", now)
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        public = booking.event if booking.event and booking.event.is_public else None
        event.add("summary", public.title if public else "已预订 Booked")
        event.add("status", "CONFIRMED" if booking.status != Booking.Status.REQUESTED else "TENTATIVE")
        event.add("location", hall.name_zh)
        calendar.add_component(event)
    return calendar.to_ical()
