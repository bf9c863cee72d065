"""Labels for the codes a charge's stored explanation keeps (a band is stored as ``peak``, shown as 峰)."""

from django import template

from meters.models import Band

register = template.Library()


@register.filter
def band_label(code: str) -> str:
    return Band(code).label if code in Band.values else code
