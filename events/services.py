"""Writes to halls, bookings, events and registrations."""

import datetime
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict
from notifications.events import Event as NotifyEvent
from notifications.services import notify
from tenants.selectors import company_recipients

from .models import Booking, Event, Hall, ProgrammeItem, Registration

HALF_DAY = Decimal(4)
# Bookings are taken from today up to this many days ahead.
BOOKING_HORIZON_DAYS = 730


def booking_price(*, hall: Hall, starts_at: datetime.datetime, ends_at: datetime.datetime, organiser: str) -> Decimal:
    """Whole half days of 4 hours at the half-day rate, the rest by the hour but never above a half
    day; tenants get the hall's discount and the operator books free. Rounded half up to the fen."""
    if organiser == Booking.Organiser.OPERATOR:
        return Decimal("0.00")
    hours = Decimal((ends_at - starts_at).total_seconds()) / 3600
    half_days, rest = divmod(hours, HALF_DAY)
    price = half_days * hall.half_day_rate + min(rest * hall.hourly_rate, hall.half_day_rate)
    if organiser == Booking.Organiser.TENANT:
        price *= 1 - hall.tenant_discount_percent / 100
    return price.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _discloses(conflict: Booking, booking: Booking) -> bool:
    """Whether whoever asks for ``booking`` may read what ``conflict`` is: staff (or code acting for
    them) and the company that holds it may; another tenant learns only that the slot is taken."""
    requester = booking.requested_by
    if requester is None or requester.is_staff:
        return True
    return conflict.company_id is not None and conflict.company_id == booking.company_id


def conflict_message(conflict: Booking, *, booking: Booking) -> str:
    """Why ``booking`` cannot have its slot: the booking that holds it, described as far as the asker may know."""
    times = {
        "hall": conflict.hall.name,
        "start": _local(conflict.starts_at),
        "end": _local(conflict.ends_at),
        "held_from": _local(conflict.blocked_from)[-5:],
        "held_until": _local(conflict.blocked_until)[-5:],
    }
    if not _discloses(conflict, booking):
        return (
            _(
                "%(hall)s is taken from %(start)s to %(end)s (held %(held_from)s–%(held_until)s "
                "with set-up and tear-down)."
            )
            % times
        )
    return _(
        "%(hall)s is booked from %(start)s to %(end)s for “%(title)s” (held %(held_from)s–%(held_until)s "
        "with set-up and tear-down)."
    ) % {**times, "title": conflict.title}


def _hold(booking: Booking) -> None:
    buffer = datetime.timedelta(minutes=booking.hall.buffer_minutes)
    booking.blocked_from, booking.blocked_until = booking.starts_at - buffer, booking.ends_at + buffer


def booking_check(booking: Booking, *, to_come: bool = True) -> None:
    """The rules of one booking: from today to two years ahead, within one day's opening hours, within
    the capacity of the layout, with the organiser's details."""
    errors: dict[str, list[str]] = {}
    hall = booking.hall
    if booking.starts_at and to_come:
        today, first_day = timezone.localdate(), timezone.localtime(booking.starts_at).date()
        if not today <= first_day <= today + datetime.timedelta(days=BOOKING_HORIZON_DAYS):
            errors["starts_at"] = [
                _("A booking starts between today and %(days)d days ahead.") % {"days": BOOKING_HORIZON_DAYS}
            ]
    if booking.starts_at and booking.ends_at and booking.ends_at > booking.starts_at:
        start, end = timezone.localtime(booking.starts_at), timezone.localtime(booking.ends_at)
        if start.date() != end.date() or start.time() < hall.opens_at or end.time() > hall.closes_at:
            errors["starts_at"] = [
                _("%(hall)s is open from %(opens)s to %(closes)s; a booking stays within one day's opening hours.")
                % {"hall": hall.name, "opens": f"{hall.opens_at:%H:%M}", "closes": f"{hall.closes_at:%H:%M}"}
            ]
    capacity = hall.capacity(booking.layout)
    if booking.attendees and booking.attendees > capacity:
        errors["attendees"] = [
            _("%(hall)s seats %(capacity)d in the %(layout)s layout.")
            % {"hall": hall.name, "capacity": capacity, "layout": booking.get_layout_display()}
        ]
    if booking.organiser == Booking.Organiser.EXTERNAL and not (booking.contact_name and booking.contact_phone):
        errors["contact_name"] = [_("An outside party gives a contact name and phone number.")]
    if errors:
        raise ValidationError(errors)


def _conflicts(booking: Booking) -> list[Booking]:
    return list(
        Booking.objects.holding()
        .filter(hall=booking.hall)
        .overlapping(blocked_from=booking.blocked_from, blocked_until=booking.blocked_until)
        .exclude(pk=booking.pk)
        .select_related("hall")
        .order_by("starts_at")
    )


def _prepare(booking: Booking, *, to_come: bool = True) -> None:
    booking.full_clean(exclude=["blocked_from", "blocked_until", "price"], validate_constraints=False)
    booking_check(booking, to_come=to_come)
    _hold(booking)
    booking.price = booking_price(
        hall=booking.hall, starts_at=booking.starts_at, ends_at=booking.ends_at, organiser=booking.organiser
    )


def _claim(booking: Booking, *, to_come: bool) -> None:
    """Lock the hall, check and price ``booking``, and refuse it when it collides with a booking
    that holds the slot."""
    Hall.objects.select_for_update().get(pk=booking.hall_id)
    _prepare(booking, to_come=to_come)
    conflicts = _conflicts(booking)
    if conflicts:
        raise Conflict({"starts_at": [conflict_message(c, booking=booking) for c in conflicts]})


def booking_quote(*, booking: Booking) -> Decimal:
    """What confirming would do, without saving: the rules, the price, and the refusal when a
    booking holds the slot (buffers included), so a preview never offers what confirming refuses."""
    _prepare(booking)
    conflicts = _conflicts(booking)
    if conflicts:
        raise Conflict({"starts_at": [conflict_message(c, booking=booking) for c in conflicts]})
    return booking.price


@transaction.atomic
def booking_request(*, booking: Booking) -> Booking:
    """Request a booking: checked, priced, and refused when it collides with a requested or approved
    booking of the hall, buffers included. The hall row is locked first, so of many requests for one
    slot exactly one wins; on PostgreSQL the exclusion constraint is the last word."""
    booking.status = Booking.Status.REQUESTED
    _claim(booking, to_come=True)
    booking.full_clean()
    booking.save()
    _tell(booking, NotifyEvent.BOOKING_REQUESTED, actor=booking.requested_by)
    return booking


@transaction.atomic
def booking_record(*, booking: Booking, by=None) -> Booking:
    """Staff record a booking after the fact (the history of the halls, a walk-in): the rules and
    collisions of a request except that it may lie in the past; it is saved approved, or completed
    once it has ended."""
    _claim(booking, to_come=False)
    booking.status = Booking.Status.COMPLETED if booking.ends_at <= timezone.now() else Booking.Status.APPROVED
    booking.decided_by, booking.decided_at = by, timezone.now()
    booking.full_clean()
    booking.save()
    return booking


@dataclass
class SeriesOccurrence:
    booking: Booking
    problems: list[str]
    collides: bool = False  # another booking holds the slot (a conflict, not a rule broken)


def booking_series_check(*, booking: Booking, weeks: int) -> list[SeriesOccurrence]:
    """The occurrences of ``booking`` weekly for ``weeks`` weeks, each prepared and with its problems
    (rules broken, collisions); writes nothing."""
    if not 1 <= weeks <= 52:
        raise ValidationError({"weeks": _("A series runs from 1 to 52 weeks.")})
    series, occurrences = (uuid.uuid4() if weeks > 1 else None), []
    for week in range(weeks):
        shift = datetime.timedelta(weeks=week)
        occurrence = Booking(
            **{f.attname: getattr(booking, f.attname) for f in Booking._meta.concrete_fields if f.attname != "id"}
        )
        occurrence.starts_at, occurrence.ends_at = booking.starts_at + shift, booking.ends_at + shift
        occurrence.series, occurrence.status = series, Booking.Status.REQUESTED
        problems, collides = [], False
        try:
            _prepare(occurrence)
        except ValidationError as error:
            problems += error.messages
        else:
            conflicts = _conflicts(occurrence)
            problems += [conflict_message(c, booking=occurrence) for c in conflicts]
            collides = bool(conflicts)
        occurrences.append(SeriesOccurrence(occurrence, problems, collides))
    return occurrences


def series_problem_messages(occurrences: list[SeriesOccurrence]) -> list[str]:
    """Each failing occurrence's problems after its date; a single booking's problems as they are."""
    if len(occurrences) == 1:
        return occurrences[0].problems
    return [
        _("%(date)s: %(problems)s") % {"date": _local(o.booking.starts_at)[:10], "problems": " ".join(o.problems)}
        for o in occurrences
        if o.problems
    ]


@transaction.atomic
def booking_request_weekly(*, booking: Booking, weeks: int) -> list[Booking]:
    """The same booking weekly for ``weeks`` weeks. Every occurrence is checked first; if any cannot
    be booked, nothing is saved and the error lists each failing occurrence with its problems. One
    week is a single booking, refused with the same messages as ``booking_request``."""
    if weeks == 1:
        return [booking_request(booking=booking)]
    Hall.objects.select_for_update().get(pk=booking.hall_id)
    occurrences = booking_series_check(booking=booking, weeks=weeks)
    problems = series_problem_messages(occurrences)
    if problems:
        refusal = Conflict if any(o.collides for o in occurrences) else ValidationError
        raise refusal({"starts_at": problems})
    for occurrence in occurrences:
        occurrence.booking.full_clean()
        occurrence.booking.save()
    _tell(occurrences[0].booking, NotifyEvent.BOOKING_REQUESTED, actor=booking.requested_by)
    return [o.booking for o in occurrences]


def _tell(booking: Booking, event: str, actor=None) -> None:
    """A tenant's booking is news to its company (its admins and who asked) and to the staff on duty;
    the operator's own bookings only to the staff."""
    users = company_recipients(booking.company, also=[booking.requested_by]) if booking.company_id else []
    notify(
        event=event,
        context={"booking": booking},
        users=[user for user in users if not user.is_staff],
        link=reverse("portal:hall", args=[booking.hall_id]),
        staff_link=reverse("admin:events_booking_change", args=[booking.pk]),
        actor=actor,
    )


def _decide(booking: Booking, *, allowed: tuple[str, ...]) -> Booking:
    booking = Booking.objects.select_for_update().select_related("hall").get(pk=booking.pk)
    if booking.status not in allowed:
        raise ValidationError(
            {
                "status": _("This booking is %(status)s; it cannot change that way.")
                % {"status": booking.get_status_display()}
            }
        )
    return booking


@transaction.atomic
def booking_approve(*, booking: Booking, by) -> Booking:
    booking = _decide(booking, allowed=(Booking.Status.REQUESTED,))
    booking.status, booking.decided_by, booking.decided_at = Booking.Status.APPROVED, by, timezone.now()
    booking.save(update_fields=["status", "decided_by", "decided_at"])
    _tell(booking, NotifyEvent.BOOKING_APPROVED, actor=by)
    return booking


@transaction.atomic
def booking_reject(*, booking: Booking, by, reason: str) -> Booking:
    if not reason.strip():
        raise ValidationError({"rejection_reason": _("Say why the booking is rejected.")})
    booking = _decide(booking, allowed=(Booking.Status.REQUESTED,))
    booking.status, booking.rejection_reason = Booking.Status.REJECTED, reason.strip()
    booking.decided_by, booking.decided_at = by, timezone.now()
    booking.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
    _tell(booking, NotifyEvent.BOOKING_REJECTED, actor=by)
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, by, as_staff: bool = False) -> Booking:
    """Cancel a requested or approved booking. Tenants may cancel until the hall's notice period
    before the start; staff at any time."""
    booking = _decide(booking, allowed=(Booking.Status.REQUESTED, Booking.Status.APPROVED))
    deadline = booking.starts_at - datetime.timedelta(hours=booking.hall.cancellation_notice_hours)
    if not as_staff and timezone.now() > deadline:
        raise ValidationError(
            {
                "status": _(
                    "Bookings of %(hall)s can be cancelled until %(hours)d hours before they "
                    "start; please call the operations team."
                )
                % {"hall": booking.hall.name, "hours": booking.hall.cancellation_notice_hours}
            }
        )
    booking.status, booking.decided_by, booking.decided_at = Booking.Status.CANCELLED, by, timezone.now()
    booking.save(update_fields=["status", "decided_by", "decided_at"])
    _tell(booking, NotifyEvent.BOOKING_CANCELLED, actor=by)
    return booking


@transaction.atomic
def bookings_complete(*, now: datetime.datetime) -> int:
    """Approved bookings that have ended become completed."""
    return Booking.objects.filter(status=Booking.Status.APPROVED, ends_at__lte=now).update(
        status=Booking.Status.COMPLETED
    )


@transaction.atomic
def hall_save(*, hall: Hall) -> Hall:
    hall.full_clean()
    hall.save()
    return hall


@transaction.atomic
def event_save(*, event: Event) -> Event:
    event.full_clean()
    event.save()
    return event


@transaction.atomic
def programme_item_save(*, item: ProgrammeItem) -> ProgrammeItem:
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def registration_create(
    *, event: Event, name: str, email: str, phone: str = "", organisation: str = ""
) -> Registration:
    """Register a guest; beyond the event's capacity the guest joins the waiting list."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    registered = event.registrations.filter(status=Registration.Status.REGISTERED).count()
    status = Registration.Status.REGISTERED if registered < event.capacity else Registration.Status.WAITLISTED
    registration = Registration(
        event=event, name=name, email=email.strip().lower(), phone=phone, organisation=organisation, status=status
    )
    registration.full_clean()
    registration.save()
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration | None:
    """Cancel a registration; the first guest waiting takes the freed seat (returned)."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.get(pk=registration.pk)
    freed = registration.status == Registration.Status.REGISTERED
    registration.status, registration.checked_in_at = Registration.Status.CANCELLED, None
    registration.save(update_fields=["status", "checked_in_at"])
    if not freed:
        return None
    promoted = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk").first()
    if promoted:
        promoted.status = Registration.Status.REGISTERED
        promoted.save(update_fields=["status"])
    return promoted


@transaction.atomic
def registration_check_in(*, registration: Registration) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.REGISTERED:
        raise ValidationError(
            {
                "status": _("Only a registered guest can check in; this one is %(status)s.")
                % {"status": registration.get_status_display()}
            }
        )
    if registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at"])
    return registration
