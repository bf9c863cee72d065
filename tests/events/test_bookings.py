import datetime
from decimal import Decimal

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from events.models import Booking, Event, Hall, Registration
from events.selectors import hall_utilisation
from events.services import (
    booking_approve,
    booking_cancel,
    booking_price,
    booking_reject,
    booking_request,
    booking_request_weekly,
    registration_cancel,
    registration_check_in,
    registration_create,
)
from tests.conftest import race, requires_postgres
from tests.factories import TenantCompanyFactory

D, T = datetime.date, datetime.time


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, T(hour, minute)))


@pytest.fixture
def hall(db):
    return Hall.objects.create(
        name_zh="多功能厅A",
        name_en="Hall A",
        capacity_theatre=800,
        capacity_classroom=400,
        hourly_rate=Decimal("3000"),
        half_day_rate=Decimal("10000"),
        tenant_discount_percent=Decimal("20"),
        buffer_minutes=30,
    )


def booking(hall, start, end, title="发布会", organiser=Booking.Organiser.TENANT, company=None, attendees=100, **extra):
    if organiser == Booking.Organiser.TENANT and company is None:
        company = TenantCompanyFactory()
    return Booking(
        hall=hall,
        organiser=organiser,
        company=company,
        title=title,
        starts_at=start,
        ends_at=end,
        attendees=attendees,
        layout=Booking.Layout.THEATRE,
        **extra,
    )


@pytest.mark.parametrize(
    "hours, organiser, expected",
    [
        (2, "external", "6000.00"),  # 2 × 3,000
        (4, "external", "10000.00"),  # one half day
        (3.5, "external", "10000.00"),  # 10,500 by the hour, capped at a half day
        (6, "external", "16000.00"),  # a half day + 2 hours
        (6, "tenant", "12800.00"),  # the same, less 20 %
        (8.5, "tenant", "17200.00"),  # 2 half days + 0.5 h = 21,500, less 20 %
        (6, "operator", "0.00"),
    ],
)
def test_prices_for_hand_computed_cases(hall, hours, organiser, expected):
    start = at(D(2026, 12, 1), 9)
    end = start + datetime.timedelta(hours=hours)
    assert booking_price(hall=hall, starts_at=start, ends_at=end, organiser=organiser) == Decimal(expected)


@pytest.mark.django_db
def test_a_colliding_request_is_refused_naming_the_slot_buffers_included(hall):
    first = booking_request(booking=booking(hall, at(D(2026, 12, 1), 14), at(D(2026, 12, 1), 17), title="酷狗新品发布"))
    assert (first.blocked_from, first.blocked_until) == (at(D(2026, 12, 1), 13, 30), at(D(2026, 12, 1), 17, 30))
    assert first.price == Decimal("7200.00")  # 3 h × 3,000 = 9,000 (under a half day), less 20 %
    with pytest.raises(ValidationError) as error:
        booking_request(booking=booking(hall, at(D(2026, 12, 1), 17, 45), at(D(2026, 12, 1), 19)))
    assert error.value.message_dict["starts_at"] == [
        "Hall A is booked from 2026-12-01 14:00 to 2026-12-01 17:00 for “酷狗新品发布” (held 13:30–17:30 with "
        "set-up and tear-down)."
    ]
    assert Booking.objects.count() == 1
    later = booking_request(booking=booking(hall, at(D(2026, 12, 1), 18), at(D(2026, 12, 1), 19)))
    assert later.pk  # 17:30 + 30 minutes of set-up: free from 18:00


@pytest.mark.django_db
def test_rejected_and_cancelled_bookings_free_the_slot(hall, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    first = booking_request(booking=booking(hall, at(D(2026, 12, 2), 9), at(D(2026, 12, 2), 11)))
    with pytest.raises(ValidationError, match="Say why"):
        booking_reject(booking=first, by=clerk, reason="")
    booking_reject(booking=first, by=clerk, reason="设备检修")
    second = booking_request(booking=booking(hall, at(D(2026, 12, 2), 9), at(D(2026, 12, 2), 11)))
    booking_approve(booking=second, by=clerk)
    booking_cancel(booking=second, by=clerk, as_staff=True)
    assert booking_request(booking=booking(hall, at(D(2026, 12, 2), 9), at(D(2026, 12, 2), 11))).pk


@pytest.mark.django_db
def test_tenants_cancel_only_before_the_notice_period(hall, monkeypatch):
    soon = booking_request(booking=booking(hall, at(D(2026, 12, 2), 9), at(D(2026, 12, 2), 11)))
    monkeypatch.setattr(timezone, "now", lambda: at(D(2026, 12, 1), 10))
    with pytest.raises(ValidationError, match="until 48 hours before"):
        booking_cancel(booking=soon, by=None)
    later = booking_request(booking=booking(hall, at(D(2026, 12, 9), 9), at(D(2026, 12, 9), 11)))
    assert booking_cancel(booking=later, by=None).status == Booking.Status.CANCELLED


@pytest.mark.django_db
def test_opening_hours_capacity_and_outside_contacts_are_checked(hall):
    with pytest.raises(ValidationError) as error:
        booking_request(booking=booking(hall, at(D(2026, 12, 3), 7), at(D(2026, 12, 3), 9), attendees=900))
    messages = error.value.message_dict
    assert "open from 08:00 to 22:00" in messages["starts_at"][0]
    assert messages["attendees"] == ["Hall A seats 800 in the theatre layout."]
    with pytest.raises(ValidationError, match="contact name and phone"):
        booking_request(
            booking=booking(
                hall,
                at(D(2026, 12, 3), 9),
                at(D(2026, 12, 3), 10),
                organiser=Booking.Organiser.EXTERNAL,
                external_organisation="某协会",
            )
        )
    assert Booking.objects.count() == 0


@pytest.mark.django_db
def test_weekly_series_lists_every_conflict_before_saving_anything(hall):
    booking_request(booking=booking(hall, at(D(2026, 12, 15), 10), at(D(2026, 12, 15), 12), title="年会彩排"))
    booking_request(booking=booking(hall, at(D(2026, 12, 29), 9), at(D(2026, 12, 29), 10), title="董事会"))
    series = booking(hall, at(D(2026, 12, 1), 10), at(D(2026, 12, 1), 11), title="周例会")
    with pytest.raises(ValidationError) as error:
        booking_request_weekly(booking=series, weeks=5)
    problems = error.value.message_dict["starts_at"]
    assert [p[:10] for p in problems] == ["2026-12-15", "2026-12-29"]
    assert "年会彩排" in problems[0] and "董事会" in problems[1]
    assert Booking.objects.filter(title="周例会").count() == 0
    created = booking_request_weekly(
        booking=booking(hall, at(D(2026, 12, 1), 15), at(D(2026, 12, 1), 16), title="周例会"), weeks=5
    )
    assert len(created) == 5 and len({b.series for b in created}) == 1
    assert [b.starts_at for b in created] == [at(D(2026, 12, 1) + datetime.timedelta(weeks=n), 15) for n in range(5)]


@pytest.mark.django_db
def test_admin_booking_form_lists_series_conflicts_and_saves_nothing(staff_client, hall):
    booking_request(booking=booking(hall, at(D(2026, 12, 8), 10), at(D(2026, 12, 8), 12), title="已有活动"))
    data = {
        "hall": hall.pk,
        "organiser": "operator",
        "title": "周会",
        "starts_at_0": "2026-12-01",
        "starts_at_1": "10:00",
        "ends_at_0": "2026-12-01",
        "ends_at_1": "11:00",
        "attendees": "20",
        "layout": "theatre",
        "weeks": "3",
    }
    response = staff_client.post(reverse("admin:events_booking_add"), data)
    assert response.status_code == 200
    assert "2026-12-08: Hall A is booked from 2026-12-08 10:00" in response.content.decode()
    assert Booking.objects.filter(title="周会").count() == 0
    data["starts_at_1"], data["ends_at_1"] = "15:00", "16:00"
    assert staff_client.post(reverse("admin:events_booking_add"), data).status_code == 302
    assert Booking.objects.filter(title="周会").count() == 3


@requires_postgres
@pytest.mark.django_db
def test_database_refuses_double_booking_when_the_service_is_bypassed(hall):
    first = booking_request(booking=booking(hall, at(D(2026, 12, 4), 9), at(D(2026, 12, 4), 12)))
    clash = booking(hall, at(D(2026, 12, 4), 12, 15), at(D(2026, 12, 4), 13))
    clash.blocked_from, clash.blocked_until, clash.price = at(D(2026, 12, 4), 11, 45), at(D(2026, 12, 4), 13, 30), 0
    clash.company.save()
    with pytest.raises(IntegrityError, match="booking_no_double_booking"), transaction.atomic():
        clash.save()
    assert Booking.objects.get() == first


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_identical_requests_have_exactly_one_winner(hall):
    companies = [TenantCompanyFactory() for _ in range(20)]
    outcomes = race(
        lambda company: booking_request(
            booking=booking(hall, at(D(2026, 12, 5), 14), at(D(2026, 12, 5), 16), company=company)
        ),
        companies,
        refused=ValidationError,
    )
    assert outcomes == ["refused"] * 19 + ["won"]
    assert Booking.objects.holding().count() == 1


@pytest.mark.django_db
def test_the_icalendar_feed_parses_back_and_keeps_tenants_titles_private(client, hall):
    now = timezone.now()
    day = timezone.localdate() + datetime.timedelta(days=3)
    private = booking_request(booking=booking(hall, at(day, 9), at(day, 11), title="内部战略会"))
    event = Event.objects.create(title="数字创意大会", capacity=300)
    public = booking_request(booking=booking(hall, at(day, 14), at(day, 17), title="大会", event=event))
    booking_approve(booking=public, by=None)
    response = client.get(reverse("events:hall_feed", args=[hall.feed_token]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"booking-{private.pk}@parkops", f"booking-{public.pk}@parkops"}
    mine = events[f"booking-{private.pk}@parkops"]
    assert str(mine["summary"]) == "已预订 Booked" and str(mine["status"]) == "TENTATIVE"
    assert mine.decoded("dtstart") == private.starts_at and now < mine.decoded("dtend")
    assert str(events[f"booking-{public.pk}@parkops"]["summary"]) == "数字创意大会"
    assert "内部战略会" not in response.content.decode()
    assert client.get(reverse("events:hall_feed", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404


@pytest.mark.parametrize("count", [2, 30])
def test_week_calendar_page_uses_a_fixed_number_of_queries(staff_client, hall, django_assert_max_num_queries, count):
    monday = D(2026, 12, 7)
    for n in range(count):
        day = monday + datetime.timedelta(days=n % 7)
        hour = 8 + (n // 7) * 2
        booking_request(booking=booking(hall, at(day, hour), at(day, hour + 1)))
    with django_assert_max_num_queries(10):
        response = staff_client.get(reverse("admin:events_hall_calendar", args=[hall.pk]) + "?week=2026-12-09")
    assert response.content.decode().count('class="slot status-requested"') == count


@pytest.mark.django_db
def test_utilisation_is_booked_hours_over_opening_hours(hall, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(D(2026, 11, 1), 8))  # both were booked at the start of the month
    first = booking_request(booking=booking(hall, at(D(2026, 11, 30), 9), at(D(2026, 11, 30), 21)))
    booking_approve(booking=first, by=None)
    booking_request(booking=booking(hall, at(D(2026, 11, 10), 9), at(D(2026, 11, 10), 12)))  # requested only
    [row] = hall_utilisation(first_day=D(2026, 11, 1), last_day=D(2026, 11, 30))
    # 12 approved hours over 30 days × 14 opening hours = 420.
    assert (row.booked_hours, row.open_hours, row.rate) == (Decimal("12.00"), Decimal("420"), Decimal("2.9"))


@pytest.mark.django_db
def test_registrations_fill_the_capacity_then_wait_and_move_up():
    event = Event.objects.create(title="数字创意大会", capacity=2)
    a, b, c = (registration_create(event=event, name=n, email=f"{n}@example.com") for n in "abc")
    assert [r.status for r in (a, b, c)] == ["registered", "registered", "waitlisted"]
    with pytest.raises(ValidationError, match="already registered"):
        registration_create(event=event, name="a again", email="A@example.com")
    with pytest.raises(ValidationError, match="Only a registered guest"):
        registration_check_in(registration=c)
    assert registration_cancel(registration=a) == c
    assert Registration.objects.get(pk=c.pk).status == "registered"
    assert registration_check_in(registration=c).checked_in_at is not None


@pytest.mark.django_db
def test_the_database_refuses_bookings_outside_the_business_dates_or_for_nobody(hall):
    from django.db import IntegrityError, transaction

    fields = {"hall": hall, "organiser": "operator", "title": "x", "attendees": 10, "price": Decimal("0")}
    for start in (at(D(2000, 1, 1), 9).replace(year=1), at(D(2100, 1, 1), 9).replace(year=9999)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Booking.objects.create(
                **fields,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
                blocked_from=start,
                blocked_until=start + datetime.timedelta(hours=1),
            )
    start = at(D(2026, 12, 10), 9)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            **{**fields, "attendees": 0},
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            blocked_from=start,
            blocked_until=start + datetime.timedelta(hours=1),
        )
