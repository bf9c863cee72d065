"""Charts for the PDF reports, drawn by pygal as SVG from a snapshot's chart specs (plain data, so a
regenerated report draws the same charts), in the cluster colours and the CJK font."""

from decimal import Decimal

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

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


def _number(value) -> float | None:
    return None if value is None else float(value)


def stacking_chart(spec: dict) -> str:
    """Floor by floor, top floor on top: leased, reserved and vacant area."""
    bottom_up = list(reversed(spec["floors"]))  # [label, leased, reserved, vacant]
    chart = pygal.HorizontalStackedBar(
        style=_style(STATUS_COLOURS),
        width=720,
        height=max(260, 22 * len(bottom_up) + 90),
        **_config(title=_("Floor by floor (m²)")),
    )
    chart.x_labels = [floor[0] for floor in bottom_up]
    for index, name in enumerate((_("leased"), _("reserved"), _("vacant")), start=1):
        chart.add(name, [_number(floor[index]) for floor in bottom_up])
    return _render(chart)


def buildings_chart(spec: dict) -> str:
    """Building by building: let and vacant area, for a portfolio report."""
    bars = list(reversed(spec["bars"]))  # [code, let, vacant]
    chart = pygal.HorizontalStackedBar(
        style=_style((STATUS_COLOURS[0], STATUS_COLOURS[2])),
        width=720,
        height=max(260, 16 * len(bars) + 90),
        **_config(title=_("Building by building (m²)")),
    )
    chart.x_labels = [bar[0] for bar in bars]
    chart.add(_("leased"), [_number(bar[1]) for bar in bars])
    chart.add(_("vacant"), [_number(bar[2]) for bar in bars])
    return _render(chart)


def expiry_chart(spec: dict) -> str:
    chart = pygal.Bar(
        style=_style(["#447e9b"]),
        width=720,
        height=300,
        **_config(title=_("Expiries per quarter (m²)"), show_legend=False),
    )
    chart.x_labels = [quarter[0] for quarter in spec["quarters"]]
    chart.add(_("area"), [_number(quarter[1]) for quarter in spec["quarters"]])
    return _render(chart)


def cluster_area_chart(spec: dict) -> str:
    slices = spec["slices"]  # [name, colour, area]
    chart = pygal.Pie(
        style=_style([colour for _name, colour, _area in slices] or ["#447e9b"]),
        width=720,
        height=420,
        inner_radius=0.45,
        **_config(title=_("Let area by cluster")),
    )
    for name, _colour, area in slices:
        chart.add(name, _number(area))
    return _render(chart)


def cluster_output_chart(spec: dict) -> str:
    bars = spec["bars"]  # [name, previous year, year]
    chart = pygal.Bar(
        style=_style(["#9ecae1", "#3182bd"]),
        width=720,
        height=340,
        **_config(title=_("Output value by cluster (CNY 10,000)"), x_label_rotation=30),
    )
    chart.x_labels = [bar[0] for bar in bars]
    tenk = Decimal(10000)
    chart.add(str(spec["year"] - 1), [float(Decimal(bar[1]) / tenk) for bar in bars])
    chart.add(str(spec["year"]), [float(Decimal(bar[2]) / tenk) for bar in bars])
    return _render(chart)


def trend_chart(spec: dict) -> str:
    """Monthly percentages (occupancy, collection) as lines; a month without figures is a gap."""
    chart = pygal.Line(
        style=_style(["#2e7d32", "#3182bd"]),
        width=720,
        height=300,
        **_config(title=_("Month by month (%)"), x_label_rotation=30, allow_interruptions=True),
    )
    chart.x_labels = spec["months"]
    for name, values in spec["series"]:
        chart.add(name, [_number(value) for value in values])
    return _render(chart)


CHARTS = {
    "stacking": stacking_chart,
    "buildings": buildings_chart,
    "expiry": expiry_chart,
    "cluster_area": cluster_area_chart,
    "cluster_output": cluster_output_chart,
    "trend": trend_chart,
}


def chart_svg(spec: dict) -> str:
    return CHARTS[spec["type"]](spec)
