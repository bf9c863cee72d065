"""Bank statements in the admin: layouts per bank, uploads, and the queue of lines to confirm."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import Bill
from core.admin import LongListMixin, MoneyColumnsMixin, ReadOnlyInline, WrittenByServicesMixin, service_form_view
from core.forms import add_service_errors
from tenants.models import TenantCompany

from .models import BankStatement, PayerAccount, StatementLayout, StatementLine, StatementLinePayment
from .services import (
    Split,
    statement_import,
    statement_line_confirm,
    statement_line_set_aside,
    statement_lines_rematch,
)


@admin.register(StatementLayout)
class StatementLayoutAdmin(admin.ModelAdmin):
    list_display = ["name", "bank", "date_column", "amount_column", "credit_column", "serial_column"]


class StatementUploadForm(forms.Form):
    layout = forms.ModelChoiceField(label=_("layout"), queryset=StatementLayout.objects.all())
    file = forms.FileField(label=_("statement file (CSV or XLSX, as the bank exports it)"))


@admin.register(BankStatement)
class BankStatementAdmin(admin.ModelAdmin):
    """Uploads: adding one reads the file; nothing about it is edited afterwards."""

    list_display = ["filename", "layout", "first_day", "last_day", "rows", "duplicates", "new_lines", "uploaded_at"]
    list_select_related = ["layout"]
    readonly_fields = [
        "layout",
        "filename",
        "first_day",
        "last_day",
        "rows",
        "duplicates",
        "uploaded_by",
        "uploaded_at",
    ]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(new_lines=Count("lines"))

    @admin.display(description=_("lines imported"))
    def new_lines(self, statement):
        return statement.new_lines

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = StatementUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                statement = statement_import(
                    layout=form.cleaned_data["layout"],
                    content=upload.read(),
                    filename=upload.name,
                    uploaded_by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                waiting = statement.lines.waiting()
                self.message_user(
                    request,
                    _(
                        "%(rows)d lines read, %(duplicates)d already imported; %(suggested)d matched, "
                        "%(unmatched)d wait for you."
                    )
                    % {
                        "rows": statement.rows,
                        "duplicates": statement.duplicates,
                        "suggested": waiting.filter(status=StatementLine.Status.SUGGESTED).count(),
                        "unmatched": waiting.filter(status=StatementLine.Status.UNMATCHED).count(),
                    },
                )
                return HttpResponseRedirect(
                    reverse("admin:banking_statementline_changelist") + f"?statement__id__exact={statement.pk}"
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Upload a bank statement"),
            "form": form,
        }
        return TemplateResponse(request, "admin/banking/form.html", context)


class SplitForm(forms.Form):
    company = forms.ModelChoiceField(label=_("company"), queryset=TenantCompany.objects.order_by("name"))
    resident_name = forms.CharField(label=_("resident paying"), max_length=60, required=False)
    bill = forms.CharField(
        label=_("number of the bill it pays first"),
        max_length=30,
        required=False,
        help_text=_("Empty: the payer's oldest open bills."),
    )
    amount = forms.DecimalField(label=_("amount (CNY)"), max_digits=14, decimal_places=2)

    def clean_bill(self):
        number = self.cleaned_data["bill"].strip()
        if not number:
            return None
        bill = Bill.objects.filter(number=number).first()
        if bill is None:
            raise ValidationError(_("No bill has the number %(number)s.") % {"number": number})
        return bill


SplitFormSet = forms.formset_factory(SplitForm, extra=2, max_num=20)


class SetAsideForm(forms.Form):
    note = forms.CharField(label=_("what the money is"), max_length=300)


class StatementPaymentInline(ReadOnlyInline):
    model = StatementLinePayment
    fields = ["payment"]


@admin.register(StatementLine)
class StatementLineAdmin(MoneyColumnsMixin, WrittenByServicesMixin, LongListMixin, admin.ModelAdmin):
    """The queue: lines of money in waiting to be confirmed (oldest first), with what they matched."""

    list_display = [
        "booked_on",
        "waiting_days",
        "payer_name",
        "payer_account",
        "amount",
        "remark",
        "status",
        "company",
        "bill",
        "confidence",
        "match_reason",
    ]
    money_columns = ("amount",)
    list_filter = ["status", "statement__layout", "statement"]
    list_select_related = ["company", "bill"]
    search_fields = ["payer_name", "payer_account", "remark", "serial"]
    ordering = ["booked_on", "pk"]
    actions = ["confirm_suggestions", "match_again"]
    inlines = [StatementPaymentInline]

    @admin.display(description=_("waiting (days)"))
    def waiting_days(self, line):
        if line.status not in (StatementLine.Status.UNMATCHED, StatementLine.Status.SUGGESTED):
            return "—"
        return (timezone.localdate() - line.booked_on).days

    @admin.action(description=_("Confirm the selected lines as suggested"), permissions=["change"])
    def confirm_suggestions(self, request, queryset):
        confirmed, refused = 0, []
        for line in queryset.filter(status=StatementLine.Status.SUGGESTED).order_by("booked_on", "pk"):
            try:
                statement_line_confirm(line=line, decided_by=request.user)
                confirmed += 1
            except ValidationError as error:
                refused.append(f"{line}: {' '.join(error.messages)}")
        self.message_user(request, _("%(count)d lines confirmed as payments.") % {"count": confirmed})
        for message in refused:
            self.message_user(request, message, level="error")

    @admin.action(description=_("Match the waiting lines again"), permissions=["change"])
    def match_again(self, request, queryset):
        count = statement_lines_rematch()
        self.message_user(request, _("%(count)d waiting lines matched again.") % {"count": count})

    def get_urls(self):
        return [
            path(
                "<path:object_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name="banking_statementline_confirm",
            ),
            path(
                "<path:object_id>/set-aside/",
                self.admin_site.admin_view(self.set_aside_view),
                name="banking_statementline_set_aside",
            ),
            *super().get_urls(),
        ]

    def _line(self, request, object_id) -> StatementLine:
        line = get_object_or_404(StatementLine.objects.select_related("company", "bill"), pk=object_id)
        if not self.has_change_permission(request, line):
            raise PermissionDenied
        return line

    def _render(self, request, line, title, form):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": line,
            "title": title,
            "form": form,
        }
        return TemplateResponse(request, "admin/banking/form.html", context)

    def _done(self, request, line, message):
        self.message_user(request, message)
        return HttpResponseRedirect(reverse("admin:banking_statementline_change", args=[line.pk]))

    def confirm_view(self, request, object_id):
        """Confirm the line as one or several payments (split across bills or payers)."""
        line = self._line(request, object_id)
        initial = (
            [{"company": line.company, "resident_name": line.resident_name, "bill": line.bill, "amount": line.amount}]
            if line.company_id
            else [{"amount": line.amount}]
        )
        formset = SplitFormSet(request.POST or None, initial=initial)
        if request.method == "POST" and formset.is_valid():
            splits = [
                Split(
                    company=data["company"],
                    amount=data["amount"],
                    bill=data.get("bill"),
                    resident_name=data.get("resident_name", ""),
                )
                for data in formset.cleaned_data
                if data
            ]
            try:
                statement_line_confirm(line=line, splits=splits, decided_by=request.user)
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            else:
                return self._done(request, line, _("The line is recorded as payments."))
        return self._render(request, line, _("Confirm the line of %(day)s") % {"day": line.booked_on}, formset)

    def set_aside_view(self, request, object_id):
        line = self._line(request, object_id)
        return service_form_view(
            self,
            request,
            form=SetAsideForm(request.POST or None),
            title=_("Set the line of %(day)s aside") % {"day": line.booked_on},
            perform=lambda data: statement_line_set_aside(line=line, note=data["note"], decided_by=request.user),
            done=_("The line is set aside as not rent."),
            next_url=reverse("admin:banking_statementline_change", args=[line.pk]),
            template="admin/banking/form.html",
            original=line,
        )


@admin.register(PayerAccount)
class PayerAccountAdmin(admin.ModelAdmin):
    list_display = ["account", "account_name", "company", "resident_name", "first_seen_on"]
    list_select_related = ["company"]
    search_fields = ["account", "account_name", "company__name"]
