"""The reports' reads go to the replica when one is configured; nothing else does."""

import datetime
from decimal import Decimal

import psycopg
import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from core.db_routers import ReplicaReadRouter, reads_from_replica
from reports.figures import occupancy_figures
from reports.models import ReportRun
from reports.rendering import render_run
from spaces.models import Building
from tests.conftest import requires_postgres
from tests.factories import ReportRunFactory

from .helpers import signed

D = datetime.date


def test_only_reads_inside_the_report_context_are_routed_and_nothing_migrates_on_the_replica(settings):
    router = ReplicaReadRouter()
    settings.PARKOPS_READ_REPLICA = True
    assert router.db_for_read(Building) is None
    with reads_from_replica():
        assert router.db_for_read(Building) == "replica"
        assert router.db_for_write(Building) is None
    assert router.db_for_read(Building) is None
    settings.PARKOPS_READ_REPLICA = False  # no replica configured: everything on the primary
    with reads_from_replica():
        assert router.db_for_read(Building) is None
    assert router.allow_migrate("replica", "spaces") is False and router.allow_migrate("default", "spaces") is True


@requires_postgres
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_report_reads_its_figures_from_the_replica(tower, settings):
    """``replica`` is a second connection to the test database here (a streaming replica's
    stand-in: the same rows, another connection)."""
    settings.PARKOPS_READ_REPLICA = True
    run = ReportRunFactory(building=tower, language="en")
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        with CaptureQueriesContext(connections["default"]) as on_primary:
            rendered = render_run(ReportRun.objects.get(pk=run.pk))
    assert rendered.pdf.startswith(b"%PDF")
    assert any("spaces_unit" in query["sql"] for query in on_replica.captured_queries)
    assert not any("spaces_unit" in query["sql"] for query in on_primary.captured_queries)


@pytest.fixture
def replica_database(tower, settings):
    """A second PostgreSQL database, copied from the test database as it stands (a replica that
    has streamed everything so far), behind the ``replica`` alias; dropped afterwards."""
    primary = connections["default"].settings_dict
    name = f"{primary['NAME']}_replica"
    server = {key: primary[key] for key in ("HOST", "PORT", "USER")}
    dsn = f"host={server['HOST'] or '127.0.0.1'} port={server['PORT'] or 5432} user={server['USER']} dbname=postgres"
    connections.close_all()  # a template database must have no other session
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{primary["NAME"]}"')
    replica = connections["replica"]
    original = replica.settings_dict
    replica.close()
    replica.settings_dict = {**primary, "NAME": name}
    settings.PARKOPS_READ_REPLICA = True
    try:
        yield name
    finally:
        replica.close()
        replica.settings_dict = original
        with psycopg.connect(dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@requires_postgres
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_the_reports_figures_come_from_a_second_database(tower, replica_database):
    """A lease signed on the primary after the copy is not on the replica yet: the report's figures,
    read from the replica, do not count it; everything else still reads the primary."""
    third = tower.units.get(code="201")
    signed("C", [third], D(2026, 9, 1), D(2027, 8, 31), rent_rate=Decimal("90"), rent_basis="per_month")
    october = {
        "buildings": [Building.objects.get(pk=tower.pk)],
        "period_start": D(2026, 10, 1),
        "period_end": D(2026, 10, 31),
    }
    assert occupancy_figures(**october).occupancy_by_area == Decimal("75.0")  # the primary: U1, U2 and 201
    with reads_from_replica():
        assert occupancy_figures(**october).occupancy_by_area == Decimal("50.0")  # the replica: U1 and U2
