"""The reports' reads go to the replica when one is configured; nothing else does."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from core.db_routers import ReplicaReadRouter, reads_from_replica
from reports.models import ReportRun
from reports.rendering import render_run
from spaces.models import Building
from tests.conftest import requires_postgres
from tests.factories import ReportRunFactory

from .test_reports import tower  # noqa: F401  (a fixture)


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
def test_a_report_reads_its_figures_from_the_replica(tower, settings):  # noqa: F811
    """``replica`` is a second connection to the test database here (a streaming replica's
    stand-in: the same rows, another connection)."""
    settings.PARKOPS_READ_REPLICA = True
    run = ReportRunFactory(building=tower, language="en")
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        with CaptureQueriesContext(connections["default"]) as on_primary:
            pdf = render_run(ReportRun.objects.get(pk=run.pk))
    assert pdf.startswith(b"%PDF")
    assert any("spaces_unit" in query["sql"] for query in on_replica.captured_queries)
    assert not any("spaces_unit" in query["sql"] for query in on_primary.captured_queries)
