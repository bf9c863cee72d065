"""Writes to fapiao (发票): requests, the two ways they are issued, and red-letter corrections.

Issuing has one shape whatever the provider: a request is sent out and comes back issued (with its
number and date) or refused (with the reason). The tax platform's provider sends requests out as a
batch workbook and reads the result file it answers with; the manual provider records a number
staff issued elsewhere. Both end in ``fapiao_issued_record``."""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from billing import fapiao_files
from billing.models import (
    Bill,
    BillLine,
    Fapiao,
    FapiaoBatch,
    FapiaoLine,
    InvoicingProfile,
    LedgerEntry,
    RedLetterFapiao,
)
from core.uploads import random_name

from .ledger import ZERO
from .tax import TaxRates, tax_split

INVOICEABLE_STATUSES = (Bill.Status.ISSUED, Bill.Status.PARTLY_PAID, Bill.Status.PAID, Bill.Status.OVERDUE)
FAPIAO_FILE_TYPES = {b"%PDF-": ".pdf", b"PK\x03\x04": ".ofd", b"<?xml": ".xml"}


class FapiaoPolicy:
    """When the operator asks for a fapiao without the tenant asking (``PARKOPS_FAPIAO_POLICY``)."""

    ON_REQUEST = "on_request"  # only when the tenant (or staff) asks
    ON_ISSUE = "on_issue"  # for every bill issued
    ON_PAYMENT = "on_payment"  # for every bill paid in full


def _credited_by_line(bill: Bill) -> dict[int, Decimal]:
    return {
        row["bill_line"]: row["total"]
        for row in LedgerEntry.objects.filter(bill=bill, kind=LedgerEntry.Kind.CREDIT_NOTE)
        .values("bill_line")
        .annotate(total=Sum("credit"))
    }


def _line_drafts(bill: Bill) -> list[FapiaoLine]:
    """The bill's lines less what credit notes took off them, split into net and VAT."""
    credited = _credited_by_line(bill)
    rates = TaxRates()
    drafts = []
    with translation.override("zh-hans"):
        for line in bill.lines.order_by("pk"):
            amount = line.amount - credited.get(line.pk, ZERO)
            if amount <= 0:
                continue
            if amount == line.amount:
                net, tax = line.net_amount, line.tax_amount
            else:
                net, tax = tax_split(amount, line.tax_rate)
            drafts.append(
                FapiaoLine(
                    bill_line=line,
                    item_name=line.description or str(line.get_kind_display()),
                    goods_code=rates.goods_code(line.kind, line.period_start),
                    tax_rate=line.tax_rate,
                    amount=amount,
                    net_amount=net,
                    tax_amount=tax,
                )
            )
    return drafts


def _lines_save(fapiao: Fapiao, drafts: list[FapiaoLine]) -> None:
    fapiao.lines.all().delete()
    for draft in drafts:
        draft.fapiao = fapiao
    FapiaoLine.objects.bulk_create(drafts)
    fapiao.amount = sum((draft.amount for draft in drafts), ZERO)
    fapiao.net_amount = sum((draft.net_amount for draft in drafts), ZERO)
    fapiao.tax_amount = sum((draft.tax_amount for draft in drafts), ZERO)


def _still_covering(bill: Bill) -> Fapiao | None:
    """The issued fapiao of the bill that its red letters have not taken back in full, if any."""
    for fapiao in bill.fapiaos.filter(status__in=[Fapiao.Status.ISSUED, Fapiao.Status.RED_LETTERED]).order_by("-pk"):
        red = fapiao.red_letters.aggregate(total=Sum("amount"))["total"] or ZERO
        if fapiao.amount > red:
            return fapiao
    return None


@transaction.atomic
def fapiao_request(*, bill: Bill, requested_by=None) -> Fapiao:
    """Ask for a fapiao for an issued bill, to the company's invoicing details as they stand now."""
    bill = Bill.objects.select_for_update().get(pk=bill.pk)
    if bill.status not in INVOICEABLE_STATUSES:
        raise ValidationError({"bill": _("A fapiao is issued only for a bill that is issued and not void.")})
    if bill.resident_name:
        raise ValidationError({"bill": _("Bills to a talent-apartment resident are not invoiced to the company.")})
    if bill.fapiaos.live().exists() or _still_covering(bill):
        raise ValidationError({"bill": _("This bill already has a fapiao requested or issued.")})
    profile = InvoicingProfile.objects.filter(company_id=bill.company_id).first()
    if profile is None:
        raise ValidationError({"bill": _("Fill in the company's invoicing details (开票信息) first.")})
    drafts = _line_drafts(bill)
    if not drafts:
        raise ValidationError(
            {"bill": _("Credit notes took off everything this bill charged: there is nothing to invoice.")}
        )
    fapiao = Fapiao(
        company_id=bill.company_id,
        bill=bill,
        fapiao_type=profile.fapiao_type,
        buyer_title=profile.title,
        buyer_taxpayer_number=profile.taxpayer_number,
        buyer_address_phone=profile.address_phone,
        buyer_bank_account=profile.bank_account,
        buyer_email=profile.email,
        requested_by=requested_by,
    )
    fapiao.amount = sum((draft.amount for draft in drafts), ZERO)
    fapiao.net_amount = sum((draft.net_amount for draft in drafts), ZERO)
    fapiao.tax_amount = sum((draft.tax_amount for draft in drafts), ZERO)
    fapiao.full_clean(exclude=["bill", "company"])
    fapiao.save()
    _lines_save(fapiao, drafts)
    return fapiao


def _locked(fapiao: Fapiao) -> Fapiao:
    return Fapiao.objects.select_for_update().get(pk=fapiao.pk)


@transaction.atomic
def fapiao_cancel(*, fapiao: Fapiao) -> Fapiao:
    """Withdraw a request the tax platform has not been sent."""
    fapiao = _locked(fapiao)
    if fapiao.status != Fapiao.Status.REQUESTED:
        raise ValidationError({"status": _("Only a fapiao that is requested and not sent out can be cancelled.")})
    fapiao.status = Fapiao.Status.CANCELLED
    fapiao.save(update_fields=["status"])
    return fapiao


@transaction.atomic
def fapiaos_request_by_policy(*, on: datetime.date) -> list[Fapiao]:
    """The operator's policy at work: a fapiao for every bill issued (or paid) through ``on`` that
    has none, for companies that gave their invoicing details."""
    policy = settings.PARKOPS_FAPIAO_POLICY
    if policy == FapiaoPolicy.ON_REQUEST:
        return []
    statuses = INVOICEABLE_STATUSES if policy == FapiaoPolicy.ON_ISSUE else (Bill.Status.PAID,)
    bills = (
        Bill.objects.filter(status__in=statuses, issued_on__lte=on, resident_name="", fapiaos__isnull=True)
        .filter(company__invoicing_profile__isnull=False)
        .order_by("issued_on", "pk")
    )
    requested = []
    for bill in bills:
        try:
            requested.append(fapiao_request(bill=bill))
        except ValidationError:
            continue  # credited in full: nothing to invoice
    return requested


def fapiao_issued_record(
    *, fapiao: Fapiao, number: str, issued_on: datetime.date, provider: str, document=None
) -> Fapiao:
    """Record that ``fapiao`` was issued as ``number`` on ``issued_on``: the end of every provider."""
    number = number.strip()
    if not (number.isdigit() and len(number) == 20):
        raise ValidationError({"number": _("A digital fapiao number has 20 digits.")})
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("A fapiao cannot be issued in the future.")})
    if issued_on < fapiao.bill.issued_on:
        raise ValidationError({"issued_on": _("A fapiao cannot be issued before its bill.")})
    taken = Fapiao.objects.filter(number=number).exclude(pk=fapiao.pk).first()
    if taken:
        raise ValidationError(
            {
                "number": _("The fapiao number %(number)s is already recorded for bill %(bill)s.")
                % {"number": number, "bill": taken.bill}
            }
        )
    fapiao.status, fapiao.number, fapiao.issued_on, fapiao.provider, fapiao.error = (
        Fapiao.Status.ISSUED,
        number,
        issued_on,
        provider,
        "",
    )
    fields = ["status", "number", "issued_on", "provider", "error"]
    if document is not None:
        fapiao.document = _document_file(document)
        fields.append("document")
    fapiao.save(update_fields=fields)
    return fapiao


def _document_file(upload) -> ContentFile:
    """A fapiao file as the platform delivers it (PDF, OFD or XML), stored under a random name."""
    upload.seek(0)
    content = upload.read()
    if len(content) > settings.PARKOPS_MAX_UPLOAD_BYTES:
        raise ValidationError({"document": _("The file is too large.")})
    suffix = next((suffix for magic, suffix in FAPIAO_FILE_TYPES.items() if content.startswith(magic)), None)
    if suffix is None:
        raise ValidationError({"document": _("A fapiao file is a PDF, OFD or XML file.")})
    return ContentFile(content, name=random_name("", f"fapiao{suffix}").lstrip("/"))


@transaction.atomic
def fapiao_issue_manual(*, fapiao: Fapiao, number: str, issued_on: datetime.date, document=None) -> Fapiao:
    """The manual provider: a fapiao staff issued elsewhere (the platform's web page, a tax terminal)."""
    fapiao = _locked(fapiao)
    if fapiao.status not in (Fapiao.Status.REQUESTED, Fapiao.Status.SUBMITTED):
        raise ValidationError({"status": _("This fapiao is not waiting to be issued.")})
    return fapiao_issued_record(
        fapiao=fapiao, number=number, issued_on=issued_on, provider=Fapiao.Provider.MANUAL, document=document
    )


@transaction.atomic
def fapiao_document_attach(*, fapiao: Fapiao, document) -> Fapiao:
    fapiao = _locked(fapiao)
    if fapiao.status not in (Fapiao.Status.ISSUED, Fapiao.Status.RED_LETTERED):
        raise ValidationError({"document": _("Only an issued fapiao has a file.")})
    fapiao.document = _document_file(document)
    fapiao.save(update_fields=["document"])
    return fapiao


@transaction.atomic
def fapiao_batch_export(*, exported_by=None, fapiaos: Sequence[Fapiao] | None = None) -> FapiaoBatch:
    """The tax platform's provider, sending out: the requested fapiao (all, or those given) in one
    batch workbook for the platform's batch issue; they wait for its result file."""
    waiting = Fapiao.objects.select_for_update().filter(status=Fapiao.Status.REQUESTED)
    if fapiaos is not None:
        waiting = waiting.filter(pk__in=[fapiao.pk for fapiao in fapiaos])
    waiting = list(waiting.select_related("bill").prefetch_related("lines").order_by("pk"))
    if not waiting:
        raise ValidationError({"fapiaos": _("No fapiao is waiting to be sent to the tax platform.")})
    missing_code = next((line for fapiao in waiting for line in fapiao.lines.all() if not line.goods_code), None)
    if missing_code is not None:
        raise ValidationError(
            {
                "fapiaos": _("The charge “%(item)s” has no goods and services tax code: set it in Admin → VAT rates.")
                % {"item": missing_code.item_name}
            }
        )
    batch = FapiaoBatch(exported_by=exported_by)
    batch.file.save(
        f"tax-platform-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx",
        ContentFile(fapiao_files.batch_workbook(waiting)),
        save=True,
    )
    Fapiao.objects.filter(pk__in=[fapiao.pk for fapiao in waiting]).update(status=Fapiao.Status.SUBMITTED, batch=batch)
    return batch


@transaction.atomic
def fapiao_batch_result_import(*, batch: FapiaoBatch, content: bytes) -> dict[str, int]:
    """The tax platform's provider, hearing back: its result file for ``batch``. Issued fapiao get
    their numbers and dates; refused ones wait as requests again with the platform's reason. A file
    with any row that cannot be read or does not belong to the batch changes nothing."""
    batch = FapiaoBatch.objects.select_for_update().get(pk=batch.pk)
    results = fapiao_files.result_rows(content)
    fapiaos = {
        fapiao.request_number: fapiao
        for fapiao in batch.fapiaos.select_for_update().filter(status=Fapiao.Status.SUBMITTED).select_related("bill")
    }
    counts = {"issued": 0, "refused": 0}
    for result in results:
        fapiao = fapiaos.pop(result.request_number, None)
        if fapiao is None:
            raise ValidationError(
                _("Row %(row)s: the request %(number)s is not waiting in this batch.")
                % {"row": result.row, "number": result.request_number}
            )
        if result.issued:
            try:
                fapiao_issued_record(
                    fapiao=fapiao,
                    number=result.number,
                    issued_on=result.issued_on,
                    provider=Fapiao.Provider.TAX_PLATFORM,
                )
            except ValidationError as error:
                raise ValidationError(
                    _("Row %(row)s: %(message)s") % {"row": result.row, "message": " ".join(error.messages)}
                ) from error
            counts["issued"] += 1
        else:
            fapiao.status, fapiao.batch, fapiao.error = Fapiao.Status.REQUESTED, None, result.reason[:300]
            fapiao.save(update_fields=["status", "batch", "error"])
            counts["refused"] += 1
    batch.result_file.save(f"result-{batch.pk}.xlsx", ContentFile(content), save=False)
    batch.result_imported_at = timezone.now()
    batch.save(update_fields=["result_file", "result_imported_at"])
    return counts


def fapiao_void_check(*, bill: Bill) -> None:
    """Before voiding ``bill``: a request not sent out is cancelled; a fapiao sent out or issued
    is corrected by a credit note with its red-letter fapiao instead."""
    fapiao = bill.fapiaos.select_for_update().live().first() or _still_covering(bill)
    if fapiao is None:
        return
    if fapiao.status != Fapiao.Status.REQUESTED:
        raise ValidationError(
            {
                "status": _(
                    "This bill's fapiao is with the tax platform or issued: "
                    "correct the bill by a credit note with its red-letter fapiao instead."
                )
            }
        )
    fapiao.status = Fapiao.Status.CANCELLED
    fapiao.save(update_fields=["status"])


def fapiao_credit_check(*, bill: Bill, red_letter_confirmation: str) -> Fapiao | None:
    """Before a credit note on ``bill``: the fapiao it touches. An issued fapiao is corrected only by
    a red-letter fapiao, whose confirmation number must be given; one with the tax platform must
    come back first."""
    fapiao = bill.fapiaos.select_for_update().live().first() or _still_covering(bill)
    if fapiao is None:
        return None
    if fapiao.status == Fapiao.Status.SUBMITTED:
        raise ValidationError(
            {"credits": _("This bill's fapiao is with the tax platform: import its result before the credit note.")}
        )
    if fapiao.status != Fapiao.Status.REQUESTED and not red_letter_confirmation.strip():
        raise ValidationError(
            {
                "red_letter_confirmation": _(
                    "This bill's fapiao %(number)s is issued: give the red-letter confirmation number (红字确认单编号)."
                )
                % {"number": fapiao.number}
            }
        )
    return fapiao


def fapiao_credit_record(
    *,
    fapiao: Fapiao,
    credits: Sequence[tuple[BillLine, Decimal]],
    credit_note_number: str,
    red_letter_confirmation: str,
    recorded_by=None,
) -> RedLetterFapiao | None:
    """After a credit note: a request not sent out is redrawn for what the bill now charges (and
    cancelled when nothing is left); an issued fapiao gets its red-letter fapiao for the credit."""
    if fapiao.status == Fapiao.Status.REQUESTED:
        drafts = _line_drafts(fapiao.bill)
        if not drafts:
            fapiao.status = Fapiao.Status.CANCELLED
            fapiao.save(update_fields=["status"])
            return None
        _lines_save(fapiao, drafts)
        fapiao.save(update_fields=["amount", "net_amount", "tax_amount"])
        return None
    splits = [tax_split(amount, line.tax_rate) for line, amount in credits]
    red_letter = RedLetterFapiao(
        fapiao=fapiao,
        credit_note_number=credit_note_number,
        confirmation_number=red_letter_confirmation.strip(),
        amount=sum((amount for _line, amount in credits), ZERO),
        net_amount=sum((net for net, _tax in splits), ZERO),
        tax_amount=sum((tax for _net, tax in splits), ZERO),
        recorded_by=recorded_by,
    )
    red_letter.full_clean(exclude=["fapiao"])
    red_letter.save()
    fapiao.status = Fapiao.Status.RED_LETTERED
    fapiao.save(update_fields=["status"])
    return red_letter
