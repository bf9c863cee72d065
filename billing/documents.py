"""Documents rendered from bills."""

from django.conf import settings

from core.pdf import render_pdf
from spaces.models import Building

from .models import Bill, Payment


def _payee() -> dict:
    return {
        "name": settings.PARKOPS_PAYEE_NAME or settings.PARKOPS_OPERATOR_NAME,
        "bank": settings.PARKOPS_PAYEE_BANK,
        "account": settings.PARKOPS_PAYEE_ACCOUNT,
    }


def bill_pdf(*, bill: Bill, language: str = settings.LANGUAGE_CODE) -> bytes:
    """The bill with its lines, what was paid, and where to pay: the payee's account and the amount due
    in figures and in capitals."""
    building = Building.objects.filter(units__lease_units__lease=bill.lease_id).first() if bill.lease_id else None
    return render_pdf(
        "billing/bill_pdf.html",
        {"bill": bill, "building": building, "operator": settings.PARKOPS_OPERATOR_NAME, "payee": _payee()},
        language=language,
    )


def receipt_pdf(*, payment: Payment, language: str = settings.LANGUAGE_CODE) -> bytes:
    """The receipt (收据) of a payment: its number, the payer, the amount in figures and in capitals,
    and the bills it paid."""
    return render_pdf(
        "billing/receipt_pdf.html",
        {"payment": payment, "operator": settings.PARKOPS_OPERATOR_NAME, "payee": _payee()},
        language=language,
    )
