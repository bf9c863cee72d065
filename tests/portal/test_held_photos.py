"""A photo chosen on a try that failed for another reason is kept for the next try."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from servicedesk.models import ServiceRequest
from tests.portal.test_portal import png_bytes

pytestmark = pytest.mark.django_db


def test_a_photo_survives_a_form_error_and_goes_with_the_next_try(client, world):
    client.force_login(world["a"]["user"])
    url = reverse("portal:service_request_new")
    photo = SimpleUploadedFile("leak.png", png_bytes(), content_type="image/png")
    first = client.post(
        url, {"unit": world["a"]["unit"].pk, "category": "repair", "priority": "normal", "photos": [photo]}
    )
    page = first.content.decode()
    assert first.status_code == 200 and "1 photo from your last try is kept" in page  # the description was missing
    held = first.context["held"]
    assert len(held) == 1 and held[0].startswith(f"held/{world['a']['user'].pk}/") and default_storage.exists(held[0])
    assert not ServiceRequest.objects.filter(description="水管漏水").exists()

    # Another company's user cannot take the held photo by naming it.
    client.force_login(world["b"]["user"])
    client.post(
        url,
        {
            "unit": world["b"]["unit"].pk,
            "category": "repair",
            "priority": "normal",
            "description": "别人的",
            "held_photos": held[0],
        },
    )
    assert ServiceRequest.objects.get(description="别人的").photos.count() == 0 and default_storage.exists(held[0])

    client.force_login(world["a"]["user"])
    second = client.post(
        url,
        {
            "unit": world["a"]["unit"].pk,
            "category": "repair",
            "priority": "normal",
            "description": "水管漏水",
            "held_photos": held[0],
        },
    )
    filed = ServiceRequest.objects.get(description="水管漏水")
    assert second.status_code == 302 and filed.photos.count() == 1
    assert not default_storage.exists(held[0])  # released once sent
