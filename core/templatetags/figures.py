"""Figures in pages and reports: a real 0 prints as 0, only a missing figure as "—"."""

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
