"""Reads about halls and bookings: the week calendar and utilisation."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from tenants.selectors import scope_to_company

from .models import Booking, Hall

USED_STATUSES = [Booking.Status.APPROVED, Booking.Status.COMPLETED]


@dataclass
class CalendarDay:
    date: datetime.date
    bookings: list[Booking] = field(default_factory=list)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def week_calendar(*, hall: Hall, week_of: datetime.date, include_requested: bool = True) -> list[CalendarDay]:
    """The Monday-to-Sunday week containing ``week_of``, each day with the bookings holding the hall (one query)."""
    monday = week_of - datetime.timedelta(days=week_of.weekday())
    days = [CalendarDay(monday + datetime.timedelta(days=n)) for n in range(7)]
    statuses = ["requested", *USED_STATUSES] if include_requested else USED_STATUSES
    bookings = (
        Booking.objects.filter(
            hall=hall,
            status__in=statuses,
            starts_at__lt=_day_start(monday + datetime.timedelta(7)),
            ends_at__gt=_day_start(monday),
        )
        .select_related("company", "event")
        .order_by("starts_at")
    )
    for booking in bookings:
        days[(timezone.localtime(booking.starts_at).date() - monday).days].bookings.append(booking)
    return days


@dataclass
class HallUtilisation:
    hall: Hall
    booked_hours: Decimal
    open_hours: Decimal

    @property
    def rate(self) -> Decimal | None:
        return (self.booked_hours / self.open_hours * 100).quantize(Decimal("0.1")) if self.open_hours else None


def hall_utilisation(*, first_day: datetime.date, last_day: datetime.date, buildings=None) -> list[HallUtilisation]:
    """Booked hours (approved or completed) over opening hours, per hall, from ``first_day`` to
    ``last_day`` inclusive; only the halls in ``buildings`` when given (two queries)."""
    days = (last_day - first_day).days + 1
    start, end = _day_start(first_day), _day_start(last_day + datetime.timedelta(days=1))
    halls = Hall.objects.filter(is_active=True).order_by("name_zh")
    if buildings is not None:
        halls = halls.filter(unit__building__in=buildings)
    halls = list(halls)
    booked = {hall.pk: Decimal(0) for hall in halls}
    for booking in Booking.objects.filter(
        status__in=USED_STATUSES, starts_at__lt=end, ends_at__gt=start, hall__in=halls
    ):
        overlap = min(booking.ends_at, end) - max(booking.starts_at, start)
        booked[booking.hall_id] += Decimal(overlap.total_seconds()) / 3600
    result = []
    for hall in halls:
        daily = datetime.datetime.combine(first_day, hall.closes_at) - datetime.datetime.combine(
            first_day, hall.opens_at
        )
        result.append(
            HallUtilisation(
                hall, booked[hall.pk].quantize(Decimal("0.01")), Decimal(daily.total_seconds()) / 3600 * days
            )
        )
    return result


def booking_list_for(*, user):
    return scope_to_company(Booking.objects.select_related("hall", "company"), user=user, company_field="company")
