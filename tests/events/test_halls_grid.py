"""The halls' day and week grids: an hour or a day a cell, free hours to click, set-up and tear-down
shown, other companies' titles hidden."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.selectors import halls_day_grid, halls_week_grid

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 1)  # 甲 has the hall 09:00–10:00, 乙 12:00–13:00, 30 minutes either side held


def test_each_hour_is_free_booked_held_or_closed_and_titles_show_only_to_their_company(world):
    grid = halls_day_grid(day=DAY, viewer_company_id=world["a"]["company"].pk, staff=False)
    row = next(row for row in grid.rows if row.hall == world["hall"])
    cells = {cell.starts.hour: cell for cell in row.cells}
    assert grid.hours[0] == datetime.time(8) and grid.hours[-1] == datetime.time(21)
    assert [cells[hour].state for hour in range(8, 15)] == [
        "buffer",  # 08:30 the set-up of 甲's booking begins
        "booked",
        "buffer",  # until 10:30
        "buffer",  # from 11:30, 乙's set-up
        "booked",
        "buffer",
        "free",
    ]
    assert cells[9].title == "甲 会议" and cells[12].title == ""  # 乙's title is 乙's business
    staff_grid = halls_day_grid(day=DAY, viewer_company_id=None, staff=True)
    staff_cells = {c.starts.hour: c for c in next(r for r in staff_grid.rows if r.hall == world["hall"]).cells}
    assert staff_cells[12].title == "乙 会议"


def test_a_free_hour_opens_the_booking_form_at_that_hour(client, world, operations_user):
    client.force_login(world["a"]["user"])
    page = client.get(reverse("portal:halls_grid"), {"day": "2026-12-01"}).content.decode()
    assert "甲 会议" in page and "乙 会议" not in page
    link = f"/portal/halls/{world['hall'].pk}/?day=2026-12-01&amp;starts=14:00&amp;ends=15:00#booking-form"
    assert link in page
    form = client.get(f"/portal/halls/{world['hall'].pk}/", {"day": "2026-12-01", "starts": "14:00", "ends": "15:00"})
    text = form.content.decode()
    assert 'value="2026-12-01"' in text and 'value="14:00"' in text and 'value="15:00"' in text
    client.force_login(operations_user)
    staff_page = client.get(reverse("admin:events_hall_grid"), {"day": "2026-12-01"}).content.decode()
    assert "甲 会议" in staff_page and "乙 会议" in staff_page


def test_the_week_shows_each_days_bookings_and_free_hours_in_two_queries(world, django_assert_num_queries):
    with django_assert_num_queries(2):  # the halls, the bookings of the week
        week = halls_week_grid(
            week_of=datetime.date(2026, 12, 3), viewer_company_id=world["a"]["company"].pk, staff=False
        )
    assert (week.days[0], week.days[-1]) == (datetime.date(2026, 11, 30), datetime.date(2026, 12, 6))
    row = next(row for row in week.rows if row.hall == world["hall"])
    # 14 opening hours a day (08:00–22:00); on Tuesday 1 December two booked, four held for set-up
    # and tear-down (08, 10, 11, 13): eight free
    assert [cell.free_hours for cell in row.cells] == [14, 8, 14, 14, 14, 14, 14]
    tuesday = [
        (timezone.localtime(starts).strftime("%H:%M"), timezone.localtime(ends).strftime("%H:%M"), title)
        for starts, ends, title in row.cells[1].bookings
    ]
    assert tuesday == [("09:00", "10:00", "甲 会议"), ("12:00", "13:00", "")]


def test_the_week_page_leads_from_a_days_free_hours_to_that_day(client, world, operations_user):
    client.force_login(world["a"]["user"])
    page = client.get(reverse("portal:halls_grid"), {"week": "2026-12-01"}).content.decode()
    assert "甲 会议" in page and "乙 会议" not in page
    assert '<a class="free-hours" href="?day=2026-12-01"' in page and "8 hours free" in page
    assert '?week=2026-11-23">&larr; previous week' in page
    client.force_login(operations_user)
    staff_page = client.get(reverse("admin:events_hall_grid"), {"week": "2026-12-01"}).content.decode()
    assert "甲 会议" in staff_page and "乙 会议" in staff_page and "14 hours free" in staff_page
