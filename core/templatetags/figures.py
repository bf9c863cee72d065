"""Figures in pages and reports: a real 0 prints as 0, only a missing figure as "—"."""

from decimal import Decimal

from django import template

register = template.Library()

MISSING = "—"


@register.filter
def figure(value) -> str:
    return MISSING if value is None or value == "" else str(value)


@register.filter
def percent(value) -> str:
    """``12.5`` → "12.5 %", ``0`` → "0 %", ``None`` → "—" (no per cent sign after a missing value)."""
    return MISSING if value is None or value == "" else f"{value} %"


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, for keys that are not identifiers ("0-2")."""
    return mapping.get(key)


@register.filter
def money(value) -> str:
    """An amount in yuan with thousands separators and two places ("22,166.67"); "—" when missing."""
    if value is None or value == "":
        return MISSING
    return f"{Decimal(value):,.2f}"
