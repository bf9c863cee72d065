"""Documents of billing: bills, receipts and statements of account, as PDF or spreadsheet."""

from pathlib import PurePath

import tablib
from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _

from core.pdf import render_pdf
from core.spreadsheets import neutralise_formula
from spaces.models import Building

from .models import Bill, DepositEntry, Payment
from .selectors import Statement, deposit_entry_for_receipt, payment_for_receipt


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
        {
            "payment": payment,
            "receipt_number": payment.receipt_number,
            "company": payment.company,
            "operator": settings.PARKOPS_OPERATOR_NAME,
            "payee": _payee(),
        },
        language=language,
    )


def deposit_receipt_response(*, entry: DepositEntry, language: str, inline: bool = False) -> HttpResponse:
    """The receipt (收据) of deposit money received, as a PDF."""
    entry = deposit_entry_for_receipt(entry_id=entry.pk)
    content = render_pdf(
        "billing/deposit_receipt_pdf.html",
        {
            "entry": entry,
            "receipt_number": entry.receipt_number,
            "company": entry.company,
            "operator": settings.PARKOPS_OPERATOR_NAME,
            "payee": _payee(),
        },
        language=language,
    )
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{entry.receipt_number}.pdf"'
    return response


def statement_pdf(*, statement: Statement, language: str = settings.LANGUAGE_CODE) -> bytes:
    """The statement of account (对账单) of a payer for a period, with its aging."""
    return render_pdf(
        "billing/statement_pdf.html",
        {"statement": statement, "operator": settings.PARKOPS_OPERATOR_NAME, "payee": _payee()},
        language=language,
    )


def statement_dataset(statement: Statement) -> tablib.Dataset:
    """The statement's entries as a spreadsheet (CSV or XLSX), formulas neutralised."""
    dataset = tablib.Dataset(
        headers=[
            _("date"),
            _("document"),
            _("description"),
            _("debit (CNY)"),
            _("credit (CNY)"),
            _("of which VAT (CNY)"),
            _("balance (CNY)"),
        ]
    )
    dataset.append(["", "", _("opening balance"), "", "", "", statement.opening])
    for entry in statement.entries:
        dataset.append(
            [
                neutralise_formula(value)
                for value in (
                    entry.day.isoformat(),
                    entry.document,
                    entry.description,
                    entry.debit,
                    entry.credit,
                    "" if entry.tax is None else entry.tax,
                    entry.balance,
                )
            ]
        )
    dataset.append(["", "", _("closing balance"), statement.debits, statement.credits, "", statement.closing])
    return dataset


SPREADSHEET_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def statement_response(*, statement: Statement, kind: str, language: str) -> HttpResponse:
    """The statement as a download: PDF, or ``kind`` csv / xlsx."""
    name = f"statement-{statement.company.credit_code}-{statement.first:%Y%m%d}-{statement.last:%Y%m%d}"
    if kind in SPREADSHEET_TYPES:
        response = HttpResponse(statement_dataset(statement).export(kind), content_type=SPREADSHEET_TYPES[kind])
    else:
        kind = "pdf"
        response = HttpResponse(statement_pdf(statement=statement, language=language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


def receipt_response(*, payment: Payment, language: str, inline: bool = False) -> HttpResponse:
    """The payment's receipt as a PDF download (or shown in the browser with ``inline``)."""
    response = HttpResponse(
        receipt_pdf(payment=payment_for_receipt(payment_id=payment.pk), language=language),
        content_type="application/pdf",
    )
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{payment.receipt_number}.pdf"'
    return response


FAPIAO_CONTENT_TYPES = {".pdf": "application/pdf", ".ofd": "application/ofd", ".xml": "application/xml"}


def fapiao_document_response(fapiao) -> FileResponse:
    """The fapiao file as the tax platform delivered it, named by its number."""
    suffix = PurePath(fapiao.document.name).suffix.lower()
    return FileResponse(
        fapiao.document.open("rb"),
        as_attachment=True,
        filename=f"{fapiao.number}{suffix}",
        content_type=FAPIAO_CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )
