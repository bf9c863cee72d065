"""A lease's units are picked by typing: offices and shops only, vacant first, each with its floor,
area and status today."""

import datetime

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


def test_the_lease_list_shows_units_area_rent_and_what_its_bills_ask(client, world, operations_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(operations_user)
    lease = world["a"]["lease"]
    page = client.get(reverse("admin:leases_lease_changelist")).content.decode()
    row = page.split(f">{lease.number}<")[1].split("</tr>")[0]
    # one unit of 100 m² at 100 a month; January's and February's 10,000 issued, 100 paid: 19,900 open
    assert world["a"]["unit"].code in row and "100.00" in row and "19,900.00" in row

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("admin:leases_lease_changelist"))
        return len(captured)

    before = queries()
    from tests.factories import UnitFactory
    from tests.reports.helpers import signed

    for n in range(3):
        signed(f"X-{n}", [UnitFactory(), UnitFactory()], datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert queries() == before
