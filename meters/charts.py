"""A meter's consumption by month, drawn by pygal as inline SVG (no script, no other host)."""

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

FONT = '"Noto Sans CJK SC", "Noto Sans CJK", sans-serif'


def consumption_chart(months: list, *, unit: str) -> str:
    chart = pygal.Bar(
        style=Style(font_family=FONT, background="white", plot_background="white", colors=("#1565c0",)),
        width=640,
        height=260,
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        title=_("Consumption by month (%(unit)s)") % {"unit": unit},
    )
    chart.x_labels = [month.strftime("%Y-%m") for month, _used in months]
    chart.add(unit, [float(used) for _month, used in months])
    return chart.render(is_unicode=True)
