"""The stacking plan's unit blocks, written in Python: a building has up to 1,200 units, and the same
markup through template tags (a URL, number and date filters per unit) took most of the page's time."""

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join

from spaces.models import Unit

register = template.Library()

_UNIT = (
    '<a class="unit status-{status}" href="{href}" style="flex-grow: {grow};{background}" data-status="{status}" '
    'data-unit="{code}"><span class="unit-code">{code}</span><span class="unit-details" role="tooltip">'
    "<strong>{code}</strong> · {use} · {area} m²<br>{label}{lease}</span></a>"
)
_LEASE = "<br>{tenant} · {cluster}<br>{number}: {starts} – {ends}"


@register.simple_tag
def stacking_units(units, colour_by: str):
    """The floor's units as blocks sized by area, coloured by status or by the tenant's cluster."""
    labels = {
        "change_url": reverse("admin:spaces_unit_change", args=["PK"]),
        "uses": {value: str(label) for value, label in Unit.Use.choices},
        "statuses": {value: str(label) for value, label in Unit.Status.choices},
    }
    return format_html_join("", "{}", ((_unit_block(unit, colour_by, labels),) for unit in units))


def _unit_block(unit, colour_by: str, labels: dict):
    lease = unit.lease
    background, details = "", ""
    if lease:
        cluster = lease.tenant.primary_cluster
        if colour_by == "cluster":
            background = format_html(" background-color: {};", cluster.colour)
        details = format_html(
            _LEASE,
            tenant=lease.tenant.display_name,
            cluster=cluster.name,
            number=lease.number,
            starts=lease.starts_on.isoformat(),
            ends=lease.ends_on.isoformat(),
        )
    return format_html(
        _UNIT,
        status=unit.occupancy_status,
        href=labels["change_url"].replace("/PK/", f"/{unit.pk}/"),
        grow=str(unit.leasable_area),
        background=background,
        code=unit.code,
        use=labels["uses"][unit.use],
        area=number_format(unit.leasable_area, 2, force_grouping=True),
        label=labels["statuses"][unit.occupancy_status],
        lease=details,
    )
