from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from simple_history.admin import SimpleHistoryAdmin

from billing.documents import bill_pdf, receipt_response, statement_response
from billing.models import (
    Bill,
    BillLine,
    BooksClosing,
    InvoicingProfile,
    LedgerEntry,
    Payment,
    PaymentAllocation,
    TaxRate,
)
from billing.selectors import arrears_by_company, bill_for_pdf, company_credit, statement_of_account
from billing.services import (
    bill_credit,
    bill_debit,
    bill_issue,
    bill_void,
    books_close,
    books_close_check,
    books_open_check,
    credit_refund,
    invoicing_profile_save,
    late_fee_waive,
    payment_bill_check,
    payment_record,
    payment_reverse,
    reminders_send_now,
)
from core.admin import LongListMixin, MoneyColumnsMixin, ReadOnlyInline, requested_day
from core.forms import add_service_errors
from tenants.models import TenantCompany


class BillLineInline(ReadOnlyInline):
    model = BillLine
    fields = ["kind", "description", "period_start", "period_end", "amount", "tax_rate", "net_amount", "tax_amount"]


class AllocationInline(ReadOnlyInline):
    model = PaymentAllocation
    fields = ["payment", "bill", "amount", "posted_on", "reverses", "created_at"]


class LedgerEntryInline(ReadOnlyInline):
    model = LedgerEntry
    fk_name = "bill"
    fields = ["posted_on", "kind", "number", "bill_line", "debit", "credit", "reason", "recorded_by", "posted_at"]
    verbose_name_plural = _("ledger")


class PaymentLedgerInline(LedgerEntryInline):
    fk_name = "payment"
    fields = ["posted_on", "kind", "number", "debit", "credit", "reason", "recorded_by", "posted_at"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class AmountForm(ReasonForm):
    amount = forms.DecimalField(label=_("amount (CNY)"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))


class RefundForm(AmountForm):
    reference = forms.CharField(label=_("bank's transaction number of the refund"), max_length=80)


class CreditNoteForm(ReasonForm):
    """An amount to credit for each line of the bill (empty: nothing on that line)."""

    red_letter_confirmation = forms.CharField(
        label=_("red-letter confirmation number (红字确认单编号)"),
        max_length=30,
        required=False,
        help_text=_("Needed when the bill's fapiao is issued: the credit note is recorded with its red-letter fapiao."),
    )

    def __init__(self, *args, bill: Bill, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = {f"line_{line.pk}": line for line in bill.lines.all()}
        for name, line in self.lines.items():
            self.fields[name] = forms.DecimalField(
                label=f"{line} ({line.amount})",
                required=False,
                max_digits=14,
                decimal_places=2,
                min_value=Decimal("0.01"),
            )

    def credits(self):
        return [(line, self.cleaned_data[name]) for name, line in self.lines.items() if self.cleaned_data.get(name)]


@admin.register(Bill)
class BillAdmin(MoneyColumnsMixin, LongListMixin, SimpleHistoryAdmin):
    """Bills come from lease schedules; staff issue, void and download them, never edit amounts."""

    list_display = [
        "bill_number",
        "company",
        "lease",
        "period",
        "due_on",
        "amount",
        "outstanding_amount",
        "status",
        "fapiao",
        "pdf_link",
    ]
    money_columns = ("amount", "outstanding_amount")
    # what the bill still asks: to pay (with adjustments and late fees) less what was paid
    money_properties = {"outstanding_amount": (_("outstanding (CNY)"), F("amount_due") - F("amount_paid"))}
    list_filter = ["status", "due_on"]
    list_select_related = ["company", "lease"]
    # The latest issued bills first, then the schedule (not the oldest bills, nor bills of 2029).
    ordering = [F("issued_on").desc(nulls_last=True), "-due_on", "-pk"]
    search_fields = ["number", "company__name", "company__short_name", "lease__number"]
    date_hierarchy = "due_on"
    readonly_fields = [
        "company",
        "lease",
        "number",
        "period_start",
        "period_end",
        "due_on",
        "issued_on",
        "status",
        "amount",
        "amount_due",
        "amount_paid",
        "late_fee_rate",
        "late_fee_grace_days",
        "late_fee_cap_ratio",
    ]
    inlines = [BillLineInline, LedgerEntryInline, AllocationInline]
    actions = ["issue_bills", "remind_now"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("fapiaos")

    @admin.display(description=_("bill"), ordering="number")
    def bill_number(self, bill):
        return bill.number or pgettext("bill", "not issued yet")

    @admin.display(description=_("billing period"), ordering="period_start")
    def period(self, bill):
        end = "%m-%d" if bill.period_end.year == bill.period_start.year else "%Y-%m-%d"
        return f"{bill.period_start:%Y-%m-%d} – {bill.period_end.strftime(end)}"

    @admin.display(description=_("fapiao"))
    def fapiao(self, bill):
        return bill.fapiao_status.label

    @admin.display(description=_("PDF"))
    def pdf_link(self, bill):
        if bill.status == Bill.Status.SCHEDULED:
            return "—"
        return format_html('<a href="{}">PDF</a>', reverse("admin:billing_bill_pdf", args=[bill.pk]))

    @admin.action(description=_("Issue the selected scheduled bills today"), permissions=["change"])
    def issue_bills(self, request, queryset):
        issued = 0
        for bill in queryset.filter(status=Bill.Status.SCHEDULED):
            bill_issue(bill=bill, on=timezone.localdate())
            issued += 1
        self.message_user(request, _("%(count)d bills issued.") % {"count": issued})

    @admin.action(description=_("Send a payment reminder now for the selected open bills"), permissions=["change"])
    def remind_now(self, request, queryset):
        sent = reminders_send_now(bills=queryset, on=timezone.localdate())
        companies = len({entry.company_id for entry in sent})
        failed = sum(1 for entry in sent if entry.status == "failed")
        self.message_user(
            request,
            _("%(bills)d bills of %(companies)d companies reminded; %(failed)d could not be sent (see Reminders sent).")
            % {"bills": len(sent), "companies": companies, "failed": failed},
            level="warning" if failed else "info",
        )

    def get_urls(self):
        return [
            path("arrears/", self.admin_site.admin_view(self.arrears_view), name="billing_bill_arrears"),
            path(
                "statement/<int:company_id>/",
                self.admin_site.admin_view(self.statement_view),
                name="billing_bill_statement",
            ),
            path("<path:object_id>/pdf/", self.admin_site.admin_view(self.pdf_view), name="billing_bill_pdf"),
            path("<path:object_id>/void/", self.admin_site.admin_view(self.void_view), name="billing_bill_void"),
            path("<path:object_id>/credit/", self.admin_site.admin_view(self.credit_view), name="billing_bill_credit"),
            path("<path:object_id>/debit/", self.admin_site.admin_view(self.debit_view), name="billing_bill_debit"),
            path("<path:object_id>/waive/", self.admin_site.admin_view(self.waive_view), name="billing_bill_waive"),
            *super().get_urls(),
        ]

    def pdf_view(self, request, object_id):
        bill = get_object_or_404(Bill, pk=object_id)
        if not self.has_view_permission(request, bill) or bill.status == Bill.Status.SCHEDULED:
            raise PermissionDenied
        response = HttpResponse(
            bill_pdf(bill=bill_for_pdf(bill_id=bill.pk), language=request.LANGUAGE_CODE), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{bill.number}.pdf"'
        return response

    def _correction_view(self, request, object_id, *, title, form_class, perform, done):
        """A form for one correction of a bill, posted through its service."""
        bill = get_object_or_404(Bill, pk=object_id)
        if not self.has_change_permission(request, bill):
            raise PermissionDenied
        extra = {"bill": bill} if form_class is CreditNoteForm else {}
        form = form_class(request.POST or None, **extra)
        if request.method == "POST" and form.is_valid():
            try:
                perform(bill, form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(request, done % {"number": bill.number})
                return HttpResponseRedirect(reverse("admin:billing_bill_change", args=[bill.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": bill,
            "title": title % {"number": bill.number},
            "form": form,
        }
        return TemplateResponse(request, "admin/billing/bill/correction.html", context)

    def void_view(self, request, object_id):
        return self._correction_view(
            request,
            object_id,
            title=_("Void bill %(number)s"),
            form_class=ReasonForm,
            perform=lambda bill, form: bill_void(
                bill=bill, reason=form.cleaned_data["reason"], recorded_by=request.user
            ),
            done=_("Bill %(number)s voided."),
        )

    def credit_view(self, request, object_id):
        return self._correction_view(
            request,
            object_id,
            title=_("Credit note on bill %(number)s"),
            form_class=CreditNoteForm,
            perform=lambda bill, form: bill_credit(
                bill=bill,
                credits=form.credits(),
                reason=form.cleaned_data["reason"],
                recorded_by=request.user,
                red_letter_confirmation=form.cleaned_data["red_letter_confirmation"],
            ),
            done=_("Credit note posted on bill %(number)s."),
        )

    def debit_view(self, request, object_id):
        return self._correction_view(
            request,
            object_id,
            title=_("Debit adjustment on bill %(number)s"),
            form_class=AmountForm,
            perform=lambda bill, form: bill_debit(
                bill=bill,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                recorded_by=request.user,
            ),
            done=_("Debit adjustment posted on bill %(number)s."),
        )

    def waive_view(self, request, object_id):
        return self._correction_view(
            request,
            object_id,
            title=_("Waive late fees on bill %(number)s"),
            form_class=AmountForm,
            perform=lambda bill, form: late_fee_waive(
                bill=bill,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                recorded_by=request.user,
            ),
            done=_("Late fees waived on bill %(number)s."),
        )

    def statement_view(self, request, company_id):
        """A company's statement of account for ``?from=`` … ``?to=`` (this month by default)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        company = get_object_or_404(TenantCompany, pk=company_id)
        last = requested_day(request, "to")
        first = min(requested_day(request, "from") if request.GET.get("from") else last.replace(day=1), last)
        result = statement_of_account(
            company=company, first=first, last=last, resident_name=request.GET.get("resident", "")
        )
        return statement_response(
            statement=result, kind=request.GET.get("format", "pdf"), language=request.LANGUAGE_CODE
        )

    def arrears_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        on = requested_day(request)
        rows = arrears_by_company(on=on)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "on": on,
            "rows": rows,
            "title": _("Arrears by company, aged by days past due"),
        }
        return TemplateResponse(request, "admin/billing/bill/arrears.html", context)


class PaymentForm(forms.ModelForm):
    bill = forms.ModelChoiceField(
        label=_("apply to bill"),
        required=False,
        queryset=Bill.objects.open().select_related("company"),
        help_text=_("Empty: the oldest open bills of the company first; the rest stays as credit."),
    )

    class Meta:
        model = Payment
        fields = ["company", "resident_name", "amount", "received_on", "method", "reference", "note"]


@admin.register(Payment)
class PaymentAdmin(MoneyColumnsMixin, LongListMixin, SimpleHistoryAdmin):
    """Payments are recorded once and never edited or deleted: corrections are new records."""

    form = PaymentForm
    list_display = [
        "received_on",
        "receipt_number",
        "company",
        "amount",
        "method",
        "reference",
        "recorded_by",
        "receipt_link",
    ]
    money_columns = ("amount",)
    list_filter = ["method", "received_on"]
    list_select_related = ["company", "recorded_by"]
    search_fields = ["reference", "receipt_number", "company__name", "company__short_name"]
    autocomplete_fields = ["company"]
    inlines = [AllocationInline, PaymentLedgerInline]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        """A recorded payment shows its bills in the allocations below, not the form's "apply to bill"."""
        fields = super().get_fields(request, obj)
        return [name for name in fields if name != "bill"] if obj else fields

    def get_readonly_fields(self, request, obj=None):
        return (
            [
                "receipt_number",
                "company",
                "resident_name",
                "amount",
                "received_on",
                "method",
                "reference",
                "note",
                "recorded_by",
            ]
            if obj
            else []
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class RecordedThroughService(form):
            def clean(inner):
                cleaned = super().clean()
                bill = cleaned.get("bill")
                if bill and cleaned.get("company"):
                    try:
                        payment_bill_check(
                            company=cleaned["company"], resident_name=cleaned.get("resident_name", ""), bill=bill
                        )
                    except ValidationError as error:
                        add_service_errors(inner, error)
                if cleaned.get("received_on"):
                    try:
                        books_open_check(cleaned["received_on"])
                    except ValidationError as error:
                        inner.add_error("received_on", error.message_dict["posted_on"])
                duplicate = Payment.objects.filter(method=cleaned.get("method"), reference=cleaned.get("reference"))
                if cleaned.get("reference") and duplicate.exists():
                    inner.add_error("reference", _("A payment with this method and reference is already recorded."))
                return cleaned

        return RecordedThroughService

    def save_model(self, request, obj, form, change):
        payment = payment_record(
            company=obj.company,
            amount=obj.amount,
            received_on=obj.received_on,
            method=obj.method,
            reference=obj.reference,
            note=obj.note,
            recorded_by=request.user,
            resident_name=obj.resident_name,
            bill=form.cleaned_data.get("bill"),
        )
        obj.pk = payment.pk

    @admin.display(description=_("receipt"))
    def receipt_link(self, payment):
        return format_html('<a href="{}">PDF</a>', reverse("admin:billing_payment_receipt", args=[payment.pk]))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/receipt/",
                self.admin_site.admin_view(self.receipt_view),
                name="billing_payment_receipt",
            ),
            path(
                "<path:object_id>/reverse/",
                self.admin_site.admin_view(self.reverse_view),
                name="billing_payment_reverse",
            ),
            path(
                "<path:object_id>/refund/",
                self.admin_site.admin_view(self.refund_view),
                name="billing_payment_refund",
            ),
            *super().get_urls(),
        ]

    def receipt_view(self, request, object_id):
        payment = get_object_or_404(Payment, pk=object_id)
        if not self.has_view_permission(request, payment):
            raise PermissionDenied
        return receipt_response(payment=payment, language=request.LANGUAGE_CODE, inline=True)

    def _payment_form_view(self, request, object_id, *, title, form_class, perform, done):
        payment = get_object_or_404(Payment.objects.select_related("company"), pk=object_id)
        if not self.has_view_permission(request, payment) or not request.user.has_perm("billing.change_payment"):
            raise PermissionDenied
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                perform(payment, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(request, done % {"number": payment.receipt_number})
                return HttpResponseRedirect(reverse("admin:billing_payment_change", args=[payment.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": payment,
            "title": title % {"number": payment.receipt_number},
            "form": form,
            "credit": company_credit(company=payment.company, resident_name=payment.resident_name),
        }
        return TemplateResponse(request, "admin/billing/payment/correction.html", context)

    def reverse_view(self, request, object_id):
        """A payment that bounced: its allocations are taken back and the payer owes it again."""
        return self._payment_form_view(
            request,
            object_id,
            title=_("Reverse payment %(number)s"),
            form_class=ReasonForm,
            perform=lambda payment, data: payment_reverse(
                payment=payment, reason=data["reason"], recorded_by=request.user
            ),
            done=_("Payment %(number)s reversed."),
        )

    def refund_view(self, request, object_id):
        """Refund the credit of this payment's payer."""
        return self._payment_form_view(
            request,
            object_id,
            title=_("Refund the credit of the payer of %(number)s"),
            form_class=RefundForm,
            perform=lambda payment, data: credit_refund(
                company=payment.company,
                resident_name=payment.resident_name,
                amount=data["amount"],
                reference=data["reference"],
                reason=data["reason"],
                recorded_by=request.user,
            ),
            done=_("Credit of the payer of %(number)s refunded."),
        )


@admin.register(LedgerEntry)
class LedgerEntryAdmin(MoneyColumnsMixin, LongListMixin, admin.ModelAdmin):
    """The ledger, read only: entries are posted by the services behind the bill and payment pages."""

    list_display = [
        "posted_on",
        "company",
        "resident_name",
        "kind",
        "number",
        "bill",
        "payment",
        "debit",
        "credit",
        "recorded_by",
    ]
    money_columns = ("debit", "credit")
    list_filter = ["kind", "posted_on"]
    list_select_related = ["company", "bill", "payment", "recorded_by"]
    search_fields = ["number", "bill__number", "payment__receipt_number", "company__name", "reason"]
    date_hierarchy = "posted_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BooksClosingForm(forms.ModelForm):
    class Meta:
        model = BooksClosing
        fields = ["closed_through"]
        widgets = {"closed_through": forms.DateInput(attrs={"type": "date"})}

    def clean_closed_through(self):
        """The service's rule, at the field: forwards only, through a day that is over."""
        through = self.cleaned_data["closed_through"]
        try:
            books_close_check(through)
        except ValidationError as error:
            raise ValidationError(error.message_dict["closed_through"]) from error
        return through


@admin.register(BooksClosing)
class BooksClosingAdmin(admin.ModelAdmin):
    """Month-end closing: staff close the books through a day, and nothing is posted on or before it."""

    form = BooksClosingForm
    list_display = ["closed_through", "closed_by", "closed_at"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        closing = books_close(through=obj.closed_through, closed_by=request.user)
        obj.pk = closing.pk


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    """VAT rates by charge: a decree's new rate is a new row from its day; bills keep the rate of their period."""

    list_display = ["kind", "rate", "method", "effective_from", "note"]
    list_filter = ["kind", "method"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InvoicingProfile)
class InvoicingProfileAdmin(SimpleHistoryAdmin):
    """What each company's fapiao are issued to; changes go through the service and keep their history."""

    list_display = ["company", "title", "taxpayer_number", "fapiao_type", "email"]
    list_select_related = ["company"]
    list_filter = ["fapiao_type"]
    search_fields = ["title", "taxpayer_number", "company__name"]
    autocomplete_fields = ["company"]
    fields = ["company", "title", "taxpayer_number", "address_phone", "bank_account", "fapiao_type", "email"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.cleaned_data if name != "company"}
        obj.pk = invoicing_profile_save(company=form.cleaned_data["company"], **fields).pk
