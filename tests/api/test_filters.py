"""Filter sets build their form class once (parkops/api/filters.py) and still judge every request."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from leases.filters import LeaseFilterSet

pytestmark = pytest.mark.django_db


def test_a_filter_set_builds_its_form_class_once_and_validates_each_request(api, world, django_user_model):
    first = LeaseFilterSet(data=QueryDict("ends_before=2026-12-31")).form
    second = LeaseFilterSet(data=QueryDict("ends_before=nonsense")).form
    assert type(first) is type(second)
    assert first.is_valid() and not second.is_valid()

    api.force_authenticate(django_user_model.objects.create_user("staff", is_staff=True, is_superuser=True))
    url = reverse("api:lease-list")
    refused = api.get(url, {"ends_before": "nonsense"})
    assert refused.status_code == 400 and refused.json()["fields"]["ends_before"] == ["Enter a valid date."]
    listed = api.get(url, {"ends_before": "2026-12-31", "tenant": world["a"]["company"].pk})
    assert [row["number"] for row in listed.json()["results"]] == [world["a"]["lease"].number]
    assert api.get(url, {"ends_before": "2026-06-30"}).json()["count"] == 0
