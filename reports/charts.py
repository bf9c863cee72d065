"""Charts for the PDF reports, drawn by pygal as SVG, in the cluster colours and the CJK font."""

from decimal import Decimal

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from leases.selectors import ExpiryQuarter

from .figures import BuildingOccupancy, ClusterRow, FloorBar

FONT = '"Noto Sans CJK SC", "Noto Sans CJK", sans-serif'
STATUS_COLOURS = ("#2e7d32", "#f9a825", "#cfd8dc")  # leased, reserved, vacant, as on the stacking plan


def _style(colours) -> Style:
    return Style(
        font_family=FONT,
        background="white",
        plot_background="white",
        colors=tuple(colours),
        label_font_size=11,
        major_label_font_size=11,
        legend_font_size=12,
        title_font_size=14,
        value_font_size=10,
        tooltip_font_size=10,
    )


def _render(chart) -> str:
    return chart.render(is_unicode=True)


def _config(**options):
    return {"js": [], "disable_xml_declaration": True, "show_y_guides": False, "legend_at_bottom": True, **options}


def stacking_chart(floors: list[FloorBar]) -> str:
    """Floor by floor, top floor on top: leased, reserved and vacant area."""
    bottom_up = list(reversed(floors))
    chart = pygal.HorizontalStackedBar(
        style=_style(STATUS_COLOURS),
        width=720,
        height=max(260, 22 * len(floors) + 90),
        **_config(title=_("Floor by floor (m²)")),
    )
    chart.x_labels = [bar.label for bar in bottom_up]
    chart.add(_("leased"), [float(bar.leased) for bar in bottom_up])
    chart.add(_("reserved"), [float(bar.reserved) for bar in bottom_up])
    chart.add(_("vacant"), [float(bar.vacant) for bar in bottom_up])
    return _render(chart)


def buildings_chart(buildings: list[BuildingOccupancy]) -> str:
    """Building by building: let and vacant area, for a portfolio report."""
    chart = pygal.HorizontalStackedBar(
        style=_style((STATUS_COLOURS[0], STATUS_COLOURS[2])),
        width=720,
        height=max(260, 16 * len(buildings) + 90),
        **_config(title=_("Building by building (m²)")),
    )
    chart.x_labels = [b.building.code for b in reversed(buildings)]
    chart.add(_("leased"), [float(b.roll.leased_area) for b in reversed(buildings)])
    chart.add(_("vacant"), [float(b.roll.total_area - b.roll.leased_area) for b in reversed(buildings)])
    return _render(chart)


def expiry_chart(quarters: list[ExpiryQuarter]) -> str:
    chart = pygal.Bar(
        style=_style(["#447e9b"]),
        width=720,
        height=300,
        **_config(title=_("Expiries per quarter (m²)"), show_legend=False),
    )
    chart.x_labels = [quarter.label for quarter in quarters]
    chart.add(_("area"), [float(quarter.area) for quarter in quarters])
    return _render(chart)


def cluster_area_chart(rows: list[ClusterRow]) -> str:
    shown = [row for row in rows if row.let_area > 0]
    chart = pygal.Pie(
        style=_style([row.cluster.colour for row in shown]),
        width=720,
        height=420,
        inner_radius=0.45,
        **_config(title=_("Let area by cluster")),
    )
    for row in shown:
        chart.add(row.cluster.name, float(row.let_area))
    return _render(chart)


def cluster_output_chart(rows: list[ClusterRow], year: int) -> str:
    shown = [row for row in rows if row.output_value or row.previous_output_value]
    chart = pygal.Bar(
        style=_style(["#9ecae1", "#3182bd"]),
        width=720,
        height=340,
        **_config(title=_("Output value by cluster (CNY 10,000)"), x_label_rotation=30),
    )
    chart.x_labels = [row.cluster.name for row in shown]
    tenk = Decimal(10000)
    chart.add(str(year - 1), [float(row.previous_output_value / tenk) for row in shown])
    chart.add(str(year), [float(row.output_value / tenk) for row in shown])
    return _render(chart)
