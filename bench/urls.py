"""ParkOps' own URLs plus the two ceilings the load benchmark compares against:

- ``/bench/bare/``: a bare Django JSON view through the whole middleware stack (the framework's floor);
- ``/bench/raw/units/`` and ``/bench/raw/leases/``: the page of rows the API lists return, built as
  JSON by PostgreSQL from hand-written SQL (the data ceiling: no ORM, no serializer).
"""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import include, path

PAGE_SIZE = 50

UNITS_SQL = """
SELECT json_build_object(
  'count', (SELECT count(*) FROM spaces_unit),
  'results', (SELECT coalesce(json_agg(row_to_json(page)), '[]') FROM (
    SELECT u.id, b.code AS building, f.label AS floor, u.code, u.use, u.leasable_area::text AS leasable_area
    FROM spaces_unit u JOIN spaces_building b ON b.id = u.building_id JOIN spaces_floor f ON f.id = u.floor_id
    ORDER BY b.code, u.code LIMIT %(limit)s OFFSET %(offset)s) page))::text
"""

LEASES_SQL = """
WITH matching AS (
  SELECT l.* FROM leases_lease l
  WHERE l.status = %(status)s AND l.ends_on <= %(ends_before)s
    AND EXISTS (SELECT 1 FROM leases_leaseunit lu JOIN spaces_unit u ON u.id = lu.unit_id
                JOIN spaces_building b ON b.id = u.building_id WHERE lu.lease_id = l.id AND b.code = %(building)s))
SELECT json_build_object(
  'count', (SELECT count(*) FROM matching),
  'results', (SELECT coalesce(json_agg(row_to_json(page)), '[]') FROM (
    SELECT m.id, m.number, m.tenant_id AS tenant, m.status, m.signed_on, m.starts_on, m.ends_on, m.terminated_on,
           (SELECT coalesce(array_agg(lu.unit_id ORDER BY lu.id), '{}') FROM leases_leaseunit lu
            WHERE lu.lease_id = m.id) AS units,
           m.area_override::text, m.rent_rate::text, m.rent_basis, m.fee_rate::text, m.payment_cycle, m.due_day,
           m.deposit_amount::text, m.renews_id AS renews
    FROM matching m ORDER BY m.starts_on DESC, m.id LIMIT %(limit)s OFFSET %(offset)s) page))::text
"""


def _page(request) -> dict:
    page = max(int(request.GET.get("page", 1)), 1)
    return {"limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE}


def _json_from_sql(sql: str, params: dict) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (document,) = cursor.fetchone()
    return HttpResponse(document, content_type="application/json")


def bare(request):
    return JsonResponse({"ok": True})


def raw_units(request):
    return _json_from_sql(UNITS_SQL, _page(request))


def raw_leases(request):
    params = {
        **_page(request),
        "status": request.GET["status"],
        "ends_before": request.GET["ends_before"],
        "building": request.GET["building"],
    }
    return _json_from_sql(LEASES_SQL, params)


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/raw/units/", raw_units),
    path("bench/raw/leases/", raw_leases),
    path("", include("parkops.urls")),
]
