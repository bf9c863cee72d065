from django import template

from reports.cells import cell_text

register = template.Library()


@register.filter
def cell(value, kind: str) -> str:
    """A snapshot value printed by its column type: ``{{ value|cell:"area" }}``."""
    return cell_text(value, kind)


@register.filter
def column_kind(columns: list, index: int) -> str:
    """The type of a table's ``index``-th column (columns are [label, type] pairs)."""
    return columns[index][1]
