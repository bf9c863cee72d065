"""HTML to PDF with WeasyPrint, in the requested language and the tower's time zone."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML


def render_pdf(template_name: str, context: dict, *, language: str = settings.LANGUAGE_CODE) -> bytes:
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        html = render_to_string(template_name, {**context, "generated_at": timezone.localtime()})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
