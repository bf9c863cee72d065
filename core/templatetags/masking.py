from django import template

from core import masking

register = template.Library()


@register.filter
def mask_id(value: str) -> str:
    return masking.mask_id(value or "")


@register.filter
def mask_phone(value: str) -> str:
    return masking.mask_phone(value or "")
