"""After every action the portal says what happened and what comes next; a form's only choice is
chosen already."""

import pytest
from django.urls import reverse

from .test_portal import tenant_client  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def test_a_booking_and_a_service_request_are_confirmed_with_what_comes_next(tenant_client, world):  # noqa: F811
    form = {"day": "2026-12-10", "starts": "14:00", "ends": "16:00", "title": "新品发布", "attendees": "80"}
    booked = tenant_client.post(
        reverse("portal:hall", args=[world["hall"].pk]), {**form, "layout": "theatre", "confirm": "1"}, follow=True
    )
    assert (
        "Booking requested: 新品发布. The operations team confirms it; you will be notified." in booked.content.decode()
    )

    page = tenant_client.get(reverse("portal:service_request_new")).content.decode()
    unit = world["a"]["unit"]
    assert f'<option value="{unit.pk}" selected>' in page  # the company's one unit, chosen already
    filed = tenant_client.post(
        reverse("portal:service_request_new"),
        {"unit": unit.pk, "category": "repair", "priority": "normal", "description": "空调不制冷"},
        follow=True,
    )
    assert "filed. The operations team answers here, and you will be notified." in filed.content.decode()


def test_an_invitation_says_to_whom_and_what_it_lets_them_do(tenant_client):  # noqa: F811
    sent = tenant_client.post(
        reverse("portal:members"), {"email": "new@jia.example", "role": "member"}, follow=True
    ).content.decode()
    assert "Invitation sent to new@jia.example: the link in it lets them choose a login." in sent
