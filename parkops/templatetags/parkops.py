from django import template

from leases.identity import mask_id as _mask_id
from leases.identity import mask_phone as _mask_phone

register = template.Library()


@register.filter
def mask_id(value: str) -> str:
    return _mask_id(value or "")


@register.filter
def mask_phone(value: str) -> str:
    return _mask_phone(value or "")
