"""Documents rendered from bills."""

from django.conf import settings

from core.pdf import render_pdf
from spaces.models import Building

from .models import Bill


def bill_pdf(*, bill: Bill, language: str = settings.LANGUAGE_CODE) -> bytes:
    building = Building.objects.filter(units__lease_units__lease=bill.lease_id).first() if bill.lease_id else None
    return render_pdf(
        "billing/bill_pdf.html",
        {"bill": bill, "building": building, "operator": settings.PARKOPS_OPERATOR_NAME},
        language=language,
    )
