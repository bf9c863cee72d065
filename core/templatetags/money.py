from decimal import Decimal

from django import template

from core.money import amount_in_capitals

register = template.Library()


@register.filter
def capitals(value) -> str:
    """An amount in Chinese capitals (大写), as receipts and bills print it."""
    return amount_in_capitals(Decimal(value))
