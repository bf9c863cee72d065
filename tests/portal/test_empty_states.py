"""A company with nothing yet is told what to do on each page, not shown "None."."""

import pytest
from django.urls import reverse

from tenants.models import TenantMembership
from tests.factories import TenantCompanyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("page", "says"),
    [
        ("portal:bills", "No bill yet: bills are issued before they fall due"),
        ("portal:service_requests", "No service request yet: file one with the button above."),
        ("portal:visitors", "No visitor registered: register one with the form on this page."),
        ("portal:apartments", "No resident yet: apply for a bed with the form on this page."),
        ("portal:dashboard", "No hall booked: book one under Halls."),
    ],
)
def test_empty_pages_say_what_to_do(client, django_user_model, page, says):
    user = django_user_model.objects.create_user("newcomer")
    TenantMembership.objects.create(user=user, company=TenantCompanyFactory(), role="admin")
    client.force_login(user)
    text = client.get(reverse(page), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert says in text and ">None.<" not in text
