"""A rule is defined once (on the model or in the service), and the portal, the API and the admin
refuse the same bad value with the same message."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from events.models import Booking
from servicedesk.models import ServiceRequest

pytestmark = pytest.mark.django_db


def form_errors(response) -> set[str]:
    """The error messages a Django form page shows (its error lists)."""
    lists = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    return {unescape(item).strip() for block in lists for item in re.findall(r"<li>(.*?)</li>", block, re.S)}


def api_messages(response) -> set[str]:
    return {message for messages in response.json()["fields"].values() for message in messages}


@pytest.fixture
def doors(client, api, world, django_user_model):
    client.force_login(world["a"]["user"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world['a']['user']).key}")
    return {"portal": client, "api": api}


def test_a_description_over_4000_characters_is_refused_alike_by_portal_and_api(doors, world):
    before = ServiceRequest.objects.count()
    text = "漏" * 4001
    portal = doors["portal"].post(
        reverse("portal:service_request_new"),
        {
            "unit": world["a"]["unit"].pk,
            "category": "repair",
            "priority": "normal",
            "description": text,
        },
    )
    api = doors["api"].post(
        reverse("api:service-request-list"),
        {
            "unit": world["a"]["unit"].pk,
            "category": "repair",
            "priority": "normal",
            "description": text,
        },
        format="json",
    )
    expected = "Ensure this value has at most 4000 characters (it has 4001)."
    assert expected in form_errors(portal)
    assert api.status_code == 400 and api_messages(api) == {expected}
    assert ServiceRequest.objects.count() == before


@pytest.mark.parametrize(
    ("day", "attendees", "expected"),
    [
        ("2026-12-10", "0", "Ensure this value is greater than or equal to 1."),
        ("2016-06-01", "10", "A booking starts between today and 730 days ahead."),
        ("2030-06-03", "10", "A booking starts between today and 730 days ahead."),
        ("9999-12-31", "10", "Give a date between 2000-01-01 and 2100-12-31."),
    ],
)
def test_a_booking_out_of_its_rules_is_refused_alike_by_portal_api_and_admin(
    doors, world, django_user_model, day, attendees, expected
):
    hall = world["hall"]
    before = Booking.objects.count()
    portal = doors["portal"].post(
        reverse("portal:hall", args=[hall.pk]),
        {
            "day": day,
            "starts": "10:00",
            "ends": "11:00",
            "title": "规则",
            "attendees": attendees,
            "layout": "theatre",
            "confirm": "1",
        },
    )
    api = doors["api"].post(
        reverse("api:booking-list"),
        {
            "hall": hall.pk,
            "title": "规则",
            "starts_at": f"{day}T10:00:00+08:00",
            "ends_at": f"{day}T11:00:00+08:00",
            "attendees": int(attendees),
            "layout": "theatre",
        },
        format="json",
    )
    staff_client = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff_client.force_login(django_user_model.objects.create_superuser("door-keeper", password="x"))
    admin = staff_client.post(
        reverse("admin:events_booking_add"),
        {
            "hall": hall.pk,
            "organiser": "operator",
            "title": "规则",
            "starts_at_0": day,
            "starts_at_1": "10:00",
            "ends_at_0": day,
            "ends_at_1": "11:00",
            "attendees": attendees,
            "layout": "theatre",
            "weeks": "1",
        },
    )
    assert expected in form_errors(portal)
    assert api.status_code == 400 and expected in api_messages(api)
    assert admin.status_code == 200 and expected in form_errors(admin)
    assert Booking.objects.count() == before
