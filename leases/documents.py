"""Documents rendered from leases and bills."""

from django.conf import settings

from parkops.pdf import render_pdf

from .models import Bill, Building


def bill_pdf(*, bill: Bill, language: str = settings.LANGUAGE_CODE) -> bytes:
    building = Building.objects.filter(units__lease_units__lease=bill.lease_id).first() if bill.lease_id else None
    return render_pdf(
        "leases/bill_pdf.html",
        {"bill": bill, "building": building, "operator": settings.PARKOPS_OPERATOR_NAME},
        language=language,
    )
