"""A lease's units are picked by typing: offices and shops only, vacant first, each with its floor,
area and status today."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_unit_picker_searches_units_let_by_lease_with_floor_area_and_vacancy(client, world, operations_user):
    from tests.factories import FloorFactory, UnitFactory

    let = world["a"]["unit"]  # let to 甲 under its lease, through 2026
    floor = FloorFactory(building=let.building, label="12F")
    vacant = UnitFactory(building=let.building, floor=floor, code="1203", leasable_area="120.50")
    UnitFactory(building=let.building, floor=floor, code="1204", use="apartment")
    client.force_login(operations_user)
    answer = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "leases", "model_name": "lease", "field_name": "units", "term": ""},
    ).json()
    texts = [result["text"] for result in answer["results"]]
    assert texts[0] == f"{vacant} · 12F · 120.50 m² · vacant"  # vacant first
    assert any(text.startswith(f"{let} ·") and text.endswith("· leased") for text in texts)
    assert not any("1204" in text for text in texts)  # apartments are let by the bed, not by lease
    page = client.get(reverse("admin:leases_lease_add")).content.decode()
    assert 'data-ajax--url="/admin/autocomplete/"' in page and 'name="leased_units"' in page
