import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leases.models import Lease
from leases.services import lease_create, lease_sign, lease_terminate
from spaces.models import Unit
from spaces.services import unit_save
from tenants.models import IndustryCluster, TenantCompany
from tenants.services import cluster_save, company_save
from tests.factories import BuildingFactory, FloorFactory, IndustryClusterFactory, TenantCompanyFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def build_tower(floors: int, units_per_floor: int):
    building = BuildingFactory()
    cluster = IndustryClusterFactory(colour="#e6550d")
    tenant = TenantCompanyFactory(short_name="酷狗音乐", primary_cluster=cluster)
    for level in range(1, floors + 1):
        floor = FloorFactory(
            building=building,
            sort_order=level,
            label=f"{level}F",
            gross_area=Decimal("5000"),
            leasable_area=Decimal("4000"),
        )
        units = [
            UnitFactory(floor=floor, building=building, code=f"{level:02d}{n:02d}", leasable_area=Decimal("50") + n)
            for n in range(1, units_per_floor + 1)
        ]
        lease = lease_create(
            number=f"L{level}", tenant=tenant, units=units[:2], starts_on=D(2025, 4, 1), ends_on=D(2028, 3, 31)
        )
        lease_sign(lease=lease, signed_on=D(2025, 3, 28))
    return building


def plan_url(building, **params):
    url = reverse("admin:spaces_building_stacking_plan", args=[building.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def blocks(html: str) -> dict[str, str]:
    return dict((code, status) for status, code in re.findall(r'data-status="(\w+)" data-unit="(\w+)"', html))


def test_stacking_plan_shows_every_unit_with_the_status_of_the_data(staff_client):
    building = build_tower(floors=3, units_per_floor=4)
    response = staff_client.get(plan_url(building, on="2026-01-01"))
    assert response.status_code == 200
    shown = blocks(response.content.decode())
    expected = dict(
        Unit.objects.filter(building=building).with_occupancy(on=D(2026, 1, 1)).values_list("code", "occupancy_status")
    )
    assert shown == expected
    assert sorted(set(shown.values())) == ["leased", "vacant"]
    assert shown["0101"] == "leased" and shown["0103"] == "vacant"


def test_stacking_plan_before_the_term_shows_reserved_units(staff_client):
    building = build_tower(floors=1, units_per_floor=3)
    shown = blocks(staff_client.get(plan_url(building, on="2025-01-01")).content.decode())
    assert shown == {"0101": "reserved", "0102": "reserved", "0103": "vacant"}


def test_stacking_plan_colours_units_by_their_tenants_cluster_and_links_them(staff_client):
    building = build_tower(floors=1, units_per_floor=2)
    html = staff_client.get(plan_url(building, on="2026-01-01")).content.decode()
    assert "background-color: #e6550d" in html
    assert "酷狗音乐" in html
    unit = Unit.objects.get(building=building, code="0101")
    assert reverse("admin:spaces_unit_change", args=[unit.pk]) in html


def test_stacking_plan_with_a_bad_date_says_so_and_shows_today(staff_client):
    building = build_tower(floors=1, units_per_floor=1)
    response = staff_client.get(plan_url(building, on="2026-13-45"), follow=True)
    assert response.status_code == 200
    assert "“2026-13-45” is not a date" in response.content.decode()


@pytest.mark.parametrize("floors, units_per_floor", [(2, 3), (33, 40)])
def test_stacking_plan_uses_a_fixed_number_of_queries(
    staff_client, django_assert_max_num_queries, floors, units_per_floor
):
    building = build_tower(floors=floors, units_per_floor=units_per_floor)
    with django_assert_max_num_queries(10):
        response = staff_client.get(plan_url(building, on="2026-01-01"))
    assert response.status_code == 200
    assert len(blocks(response.content.decode())) == floors * units_per_floor


@pytest.mark.parametrize("count", [3, 60])
def test_unit_changelist_uses_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    floor = FloorFactory(gross_area=Decimal("100000"), leasable_area=Decimal("100000"))
    for n in range(count):
        UnitFactory(floor=floor, building=floor.building, code=f"U{n}")
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("admin:spaces_unit_changelist") + "?status=vacant")
    assert response.status_code == 200
    assert response.context["cl"].result_count == count


# Caching: the plans' generation is stamped when a change commits, so these tests run the commit
# callbacks that a real commit would (pytest-django's test transaction never commits).


def cached_tower(django_capture_on_commit_callbacks, **size):
    with django_capture_on_commit_callbacks(execute=True):
        return build_tower(**size)


def plan_markup(html: str) -> str:
    return html[html.index('<p class="stacking-summary">') : html.index("</table>")]


def test_a_plan_is_served_from_the_cache_the_second_time(staff_client, django_capture_on_commit_callbacks):
    building = cached_tower(django_capture_on_commit_callbacks, floors=2, units_per_floor=3)
    first = staff_client.get(plan_url(building, on="2026-01-01")).content.decode()
    with CaptureQueriesContext(connection) as queries:
        second = staff_client.get(plan_url(building, on="2026-01-01")).content.decode()
    assert plan_markup(second) == plan_markup(first)
    assert len(blocks(second)) == 6
    assert not [query for query in queries if "spaces_unit" in query["sql"]]


def _sign_a_vacant_unit(building):
    tenant = TenantCompanyFactory(short_name="新租户")
    lease = lease_create(
        number="NEW",
        tenant=tenant,
        units=[Unit.objects.get(building=building, code="0103")],
        starts_on=D(2025, 6, 1),
        ends_on=D(2027, 5, 31),
    )
    lease_sign(lease=lease, signed_on=D(2025, 5, 20))
    return 'data-status="leased" data-unit="0103"'


def _terminate_a_lease(building):
    lease_terminate(lease=Lease.objects.get(number="L1"), on=D(2025, 12, 31), reason="moved out")
    return 'data-status="vacant" data-unit="0101"'


def _rename_a_unit(building):
    unit = Unit.objects.get(building=building, code="0102")
    unit.code = "0102A"
    unit_save(unit=unit)
    return 'data-unit="0102A"'


def _rename_the_tenant(building):
    tenant = TenantCompany.objects.get(short_name="酷狗音乐")
    tenant.short_name = "酷狗"
    company_save(company=tenant)
    return "酷狗 · "


def _recolour_the_cluster(building):
    cluster = IndustryCluster.objects.get(colour="#e6550d")
    cluster.colour = "#123456"
    cluster_save(cluster=cluster)
    return "background-color: #123456"


@pytest.mark.parametrize(
    "change", [_sign_a_vacant_unit, _terminate_a_lease, _rename_a_unit, _rename_the_tenant, _recolour_the_cluster]
)
def test_a_cached_plan_shows_every_committed_change(staff_client, django_capture_on_commit_callbacks, change):
    building = cached_tower(django_capture_on_commit_callbacks, floors=1, units_per_floor=3)
    before = staff_client.get(plan_url(building, on="2026-01-01")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        expected = change(building)
    assert expected not in before
    assert expected in staff_client.get(plan_url(building, on="2026-01-01")).content.decode()


def test_cached_plans_are_kept_apart_by_day_colouring_and_language(staff_client, django_capture_on_commit_callbacks):
    building = cached_tower(django_capture_on_commit_callbacks, floors=1, units_per_floor=3)
    on_lease = staff_client.get(plan_url(building, on="2026-01-01")).content.decode()
    before_lease = staff_client.get(plan_url(building, on="2025-01-01")).content.decode()
    by_status = staff_client.get(plan_url(building, on="2026-01-01", colour="status")).content.decode()
    in_chinese = staff_client.get(plan_url(building, on="2026-01-01"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert blocks(on_lease)["0101"] == "leased" and blocks(before_lease)["0101"] == "reserved"
    assert "background-color: #e6550d" in on_lease and "background-color" not in by_status
    assert "m² leased" in on_lease and "已出租" in in_chinese and "m² leased" not in in_chinese
