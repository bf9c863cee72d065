"""From a run to PDF bytes: figures, charts, HTML, WeasyPrint."""

from django.conf import settings
from django.utils import translation

from core.db_routers import reads_from_replica
from core.pdf import render_pdf
from spaces.models import Building

from . import charts
from .figures import cluster_figures, occupancy_figures
from .models import ReportRun


def _buildings(run: ReportRun) -> list[Building]:
    return [run.building] if run.building_id else list(Building.objects.order_by("code"))


def render_run(run: ReportRun) -> bytes:
    """The run's PDF; its figures are read from the replica when there is one."""
    with translation.override(run.language), reads_from_replica():
        return _render(run)


def _render(run: ReportRun) -> bytes:
    scope = {"buildings": _buildings(run), "period_start": run.period_start, "period_end": run.period_end}
    context = {"run": run, "operator": settings.PARKOPS_OPERATOR_NAME}
    if run.kind == ReportRun.Kind.OCCUPANCY:
        figures = occupancy_figures(**scope)
        context.update(
            figures=figures,
            stacking_chart=charts.stacking_chart(figures.buildings[0].floors)
            if run.building_id
            else charts.buildings_chart(figures.buildings),
            expiry_chart=charts.expiry_chart(figures.expiry_profile),
        )
        template = "reports/occupancy_pdf.html"
    else:
        figures = cluster_figures(**scope)
        context.update(
            figures=figures,
            area_chart=charts.cluster_area_chart(figures.rows),
            output_chart=charts.cluster_output_chart(figures.rows, figures.year),
        )
        template = "reports/clusters_pdf.html"
    return render_pdf(template, context, language=run.language)
