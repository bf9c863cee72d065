"""The company's bills, their PDFs, its account (ledger and deposits), and its payments with their receipts."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing.documents import (
    bill_pdf,
    deposit_receipt_response,
    fapiao_document_response,
    receipt_response,
    statement_response,
)
from billing.models import Fapiao
from billing.selectors import (
    bill_entries,
    bill_for_pdf,
    bill_list_for,
    company_credit,
    deposit_entry_list_for,
    deposits_by_lease,
    fapiao_list_for,
    payer_balance,
    payment_list_for,
    statement_of_account,
)
from billing.services import fapiao_request
from core.http import InvalidParameter, day_parameter

from ..access import tenant_required


@tenant_required
def bill_list(request):
    bills = bill_list_for(user=request.user).order_by("-due_on", "-pk")
    return render(
        request, "portal/bill_list.html", {"bills": bills, "payments": payment_list_for(user=request.user)[:20]}
    )


@tenant_required
def bill_detail(request, pk: int):
    bill = get_object_or_404(bill_list_for(user=request.user).prefetch_related("allocations__payment"), pk=pk)
    context = {
        "bill": bill,
        "entries": bill_entries(bill=bill),
        "fapiaos": fapiao_list_for(user=request.user).filter(bill=bill).exclude(status=Fapiao.Status.CANCELLED),
    }
    return render(request, "portal/bill_detail.html", context)


@tenant_required
@require_POST
def fapiao_request_view(request, pk: int):
    """Ask for a fapiao for one of the company's bills, to its invoicing details."""
    bill = get_object_or_404(bill_list_for(user=request.user), pk=pk)
    try:
        fapiao_request(bill=bill, requested_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Fapiao requested: finance issues it and you can download it here."))
    return redirect("portal:bill", pk=bill.pk)


@tenant_required
def fapiao_download(request, pk: int):
    fapiao = get_object_or_404(fapiao_list_for(user=request.user).exclude(document=""), pk=pk)
    return fapiao_document_response(fapiao)


@tenant_required
def account(request):
    """The company's account: its balance and credit, every ledger entry of a period (the last
    ninety days by default) and its deposits."""
    today = timezone.localdate()
    first = day_parameter(request, "from", today - datetime.timedelta(days=90))
    last = day_parameter(request, "to", today)
    if last < first:
        raise InvalidParameter(_("The period ends before it starts."))
    company = request.membership.company
    context = {
        "first": first,
        "last": last,
        "statement": statement_of_account(company=company, first=first, last=last),
        "balance": payer_balance(company=company),
        "credit": company_credit(company=company),
        "deposits": deposits_by_lease(company=company),
    }
    return render(request, "portal/account.html", context)


@tenant_required
def bill_download(request, pk: int):
    bill = get_object_or_404(bill_list_for(user=request.user), pk=pk)
    response = HttpResponse(
        bill_pdf(bill=bill_for_pdf(bill_id=bill.pk), language=request.LANGUAGE_CODE), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{bill.number}.pdf"'
    return response


@tenant_required
def receipt_download(request, pk: int):
    payment = get_object_or_404(payment_list_for(user=request.user), pk=pk)
    return receipt_response(payment=payment, language=request.LANGUAGE_CODE)


@tenant_required
def deposit_receipt(request, pk: int):
    entry = get_object_or_404(deposit_entry_list_for(user=request.user).filter(kind="received"), pk=pk)
    return deposit_receipt_response(entry=entry, language=request.LANGUAGE_CODE)


@tenant_required
def statement(request):
    """The company's statement of account for ``?from=`` … ``?to=`` (this month by default), as PDF
    or, with ``?format=xlsx`` or ``csv``, a spreadsheet."""
    today = timezone.localdate()
    first = day_parameter(request, "from", today.replace(day=1))
    last = day_parameter(request, "to", today)
    if last < first:
        raise InvalidParameter(_("The period ends before it starts."))
    result = statement_of_account(company=request.membership.company, first=first, last=last)
    return statement_response(statement=result, kind=request.GET.get("format", "pdf"), language=request.LANGUAGE_CODE)
