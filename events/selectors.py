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


@dataclass
class GridCell:
    """One hour of one hall: closed, free, held by a booking's set-up or tear-down, or booked. The
    booking's title only for whoever may read it (staff, or the company that booked)."""

    starts: datetime.time
    state: str  # closed | free | buffer | booked
    title: str = ""


@dataclass
class GridRow:
    hall: Hall
    cells: list[GridCell]


@dataclass
class DayGrid:
    day: datetime.date
    hours: list[datetime.time]
    rows: list[GridRow]


@dataclass
class WeekCell:
    """One hall's day in the week grid: its bookings (titles only for whoever may read them) and
    how many of its opening hours are free."""

    day: datetime.date
    bookings: list[tuple[datetime.datetime, datetime.datetime, str]]
    free_hours: int


@dataclass
class WeekRow:
    hall: Hall
    cells: list[WeekCell]


@dataclass
class WeekGrid:
    days: list[datetime.date]
    rows: list[WeekRow]


def _active_halls() -> list[Hall]:
    return list(Hall.objects.filter(is_active=True).order_by("name_zh"))


def _holding_by_hall(halls: list[Hall], first_day: datetime.date, days: int) -> dict[int, list[Booking]]:
    """The bookings holding any of the halls in those days (requested ones too, as confirming a new
    booking would find), by hall."""
    start, end = _day_start(first_day), _day_start(first_day + datetime.timedelta(days=days))
    holding = (
        Booking.objects.holding()
        .filter(hall__in=halls, blocked_from__lt=end, blocked_until__gt=start)
        .select_related("event")
        .order_by("starts_at")
    )
    by_hall: dict[int, list[Booking]] = {}
    for booking in holding:
        by_hall.setdefault(booking.hall_id, []).append(booking)
    return by_hall


def _readable(booking: Booking, *, viewer_company_id: int | None, staff: bool) -> str:
    return booking.title if staff or (viewer_company_id is not None and booking.company_id == viewer_company_id) else ""


def _hall_day_cells(
    hall: Hall, day: datetime.date, hours: list[datetime.time], bookings: list[Booking], **viewer
) -> list[GridCell]:
    opens = timezone.make_aware(datetime.datetime.combine(day, hall.opens_at))
    closes = timezone.make_aware(datetime.datetime.combine(day, hall.closes_at))
    cells = []
    for hour in hours:
        slot_start = timezone.make_aware(datetime.datetime.combine(day, hour))
        slot_end = slot_start + datetime.timedelta(hours=1)
        if slot_start < opens or slot_end > closes:
            cells.append(GridCell(hour, "closed"))
            continue
        cell = GridCell(hour, "free")
        for booking in bookings:
            if booking.starts_at < slot_end and booking.ends_at > slot_start:
                cell = GridCell(hour, "booked", _readable(booking, **viewer))
                break
            if booking.blocked_from < slot_end and booking.blocked_until > slot_start:
                cell = GridCell(hour, "buffer")
        cells.append(cell)
    return cells


def _opening_hours(halls: list[Hall]) -> list[datetime.time]:
    first = min((hall.opens_at for hall in halls), default=datetime.time(8))
    last = max((hall.closes_at for hall in halls), default=datetime.time(22))
    return [datetime.time(hour) for hour in range(first.hour, last.hour + (1 if last.minute else 0))]


def halls_day_grid(*, day: datetime.date, viewer_company_id: int | None, staff: bool) -> DayGrid:
    """Every active hall's day hour by hour, from the earliest opening to the latest closing (two
    queries)."""
    halls = _active_halls()
    hours = _opening_hours(halls)
    by_hall = _holding_by_hall(halls, day, 1)
    viewer = {"viewer_company_id": viewer_company_id, "staff": staff}
    rows = [GridRow(hall, _hall_day_cells(hall, day, hours, by_hall.get(hall.pk, []), **viewer)) for hall in halls]
    return DayGrid(day=day, hours=hours, rows=rows)


def halls_week_grid(*, week_of: datetime.date, viewer_company_id: int | None, staff: bool) -> WeekGrid:
    """Every active hall's week from Monday, a day a column: the bookings of each day and its free
    hours (two queries)."""
    monday = week_of - datetime.timedelta(days=week_of.weekday())
    days = [monday + datetime.timedelta(days=offset) for offset in range(7)]
    halls = _active_halls()
    hours = _opening_hours(halls)
    by_hall = _holding_by_hall(halls, monday, 7)
    viewer = {"viewer_company_id": viewer_company_id, "staff": staff}
    rows = []
    for hall in halls:
        cells = []
        for day in days:
            start, end = _day_start(day), _day_start(day + datetime.timedelta(days=1))
            bookings = [b for b in by_hall.get(hall.pk, []) if b.blocked_from < end and b.blocked_until > start]
            free = sum(cell.state == "free" for cell in _hall_day_cells(hall, day, hours, bookings, **viewer))
            shown = [
                (b.starts_at, b.ends_at, _readable(b, **viewer))
                for b in bookings
                if b.starts_at < end and b.ends_at > start
            ]
            cells.append(WeekCell(day, shown, free))
        rows.append(WeekRow(hall, cells))
    return WeekGrid(days=days, rows=rows)


def halls_day_or_week(*, day: datetime.date | None, week_of: datetime.date | None, viewer_company_id, staff) -> dict:
    """The halls' week when ``week_of`` is given, else their day: the grid and the days before and
    after it, as the portal's and the admin's grid pages show them."""
    if week_of is not None:
        week = halls_week_grid(week_of=week_of, viewer_company_id=viewer_company_id, staff=staff)
        step = datetime.timedelta(days=7)
        return {"week": week, "previous": week.days[0] - step, "next": week.days[0] + step}
    step = datetime.timedelta(days=1)
    grid = halls_day_grid(day=day, viewer_company_id=viewer_company_id, staff=staff)
    return {"grid": grid, "previous": day - step, "next": day + step}
