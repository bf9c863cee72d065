"""The fapiao queue: requests waiting, sent out in batch files to the tax platform, its result files
read back, numbers issued elsewhere entered by hand, and the red-letter fapiao of credit notes."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.documents import fapiao_document_response
from billing.models import Fapiao, FapiaoBatch, FapiaoLine, RedLetterFapiao
from billing.services import (
    fapiao_batch_export,
    fapiao_batch_result_import,
    fapiao_cancel,
    fapiao_document_attach,
    fapiao_issue_manual,
)
from core.admin import LongListMixin, MoneyColumnsMixin, ReadOnlyInline, WrittenByServicesMixin, service_form_view


class FapiaoLineInline(ReadOnlyInline):
    model = FapiaoLine
    fields = ["item_name", "goods_code", "tax_rate", "amount", "net_amount", "tax_amount"]


class RedLetterInline(ReadOnlyInline):
    model = RedLetterFapiao
    fields = ["credit_note_number", "confirmation_number", "amount", "net_amount", "tax_amount", "recorded_by"]


class ManualIssueForm(forms.Form):
    number = forms.CharField(label=_("fapiao number"), max_length=20, min_length=20)
    issued_on = forms.DateField(label=_("issued on"))
    document = forms.FileField(label=_("fapiao file (PDF, OFD or XML)"), required=False)


class DocumentForm(forms.Form):
    document = forms.FileField(label=_("fapiao file (PDF, OFD or XML)"))


class ResultFileForm(forms.Form):
    result_file = forms.FileField(label=_("the tax platform's result file (XLSX or CSV)"))


@admin.register(Fapiao)
class FapiaoAdmin(MoneyColumnsMixin, WrittenByServicesMixin, LongListMixin, admin.ModelAdmin):
    """The queue: what waits to be issued (oldest first), and everything issued."""

    list_display = [
        "bill",
        "company",
        "status",
        "fapiao_type",
        "amount",
        "tax_amount",
        "requested_at",
        "waiting_days",
        "number",
        "error",
    ]
    money_columns = ("amount", "tax_amount")
    list_filter = ["status", "fapiao_type", "provider"]
    list_select_related = ["bill", "company"]
    search_fields = ["number", "bill__number", "buyer_title", "buyer_taxpayer_number"]
    ordering = ["requested_at", "pk"]
    inlines = [FapiaoLineInline, RedLetterInline]
    actions = ["send_to_tax_platform", "cancel_requests"]

    @admin.display(description=_("waiting (days)"))
    def waiting_days(self, fapiao):
        if fapiao.status not in (Fapiao.Status.REQUESTED, Fapiao.Status.SUBMITTED):
            return "—"
        return (timezone.localdate() - timezone.localtime(fapiao.requested_at).date()).days

    @admin.action(description=_("Send the selected requests to the tax platform (batch file)"), permissions=["change"])
    def send_to_tax_platform(self, request, queryset):
        try:
            batch = fapiao_batch_export(exported_by=request.user, fapiaos=list(queryset))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level="error")
            return None
        self.message_user(
            request,
            _("Batch %(batch)s holds %(count)d fapiao: upload its file to the tax platform's batch issue.")
            % {"batch": batch.pk, "count": batch.fapiaos.count()},
        )
        return HttpResponseRedirect(reverse("admin:billing_fapiaobatch_change", args=[batch.pk]))

    @admin.action(description=_("Cancel the selected requests"), permissions=["change"])
    def cancel_requests(self, request, queryset):
        cancelled = 0
        for fapiao in queryset.filter(status=Fapiao.Status.REQUESTED):
            fapiao_cancel(fapiao=fapiao)
            cancelled += 1
        self.message_user(request, _("%(count)d requests cancelled.") % {"count": cancelled})

    def get_urls(self):
        return [
            path("<path:object_id>/issue/", self.admin_site.admin_view(self.issue_view), name="billing_fapiao_issue"),
            path(
                "<path:object_id>/document/",
                self.admin_site.admin_view(self.document_view),
                name="billing_fapiao_document",
            ),
            path(
                "<path:object_id>/download/",
                self.admin_site.admin_view(self.download_view),
                name="billing_fapiao_download",
            ),
            *super().get_urls(),
        ]

    def _form_view(self, request, object_id, *, title, form_class, perform, done):
        fapiao = get_object_or_404(Fapiao.objects.select_related("bill"), pk=object_id)
        if not self.has_change_permission(request, fapiao):
            raise PermissionDenied
        return service_form_view(
            self,
            request,
            form=form_class(request.POST or None, request.FILES or None),
            title=title % {"bill": fapiao.bill},
            perform=lambda data: perform(fapiao, data),
            done=done,
            next_url=reverse("admin:billing_fapiao_change", args=[fapiao.pk]),
            template="admin/billing/fapiao/form.html",
            original=fapiao,
        )

    def issue_view(self, request, object_id):
        return self._form_view(
            request,
            object_id,
            title=_("Enter the fapiao issued for bill %(bill)s"),
            form_class=ManualIssueForm,
            perform=lambda fapiao, data: fapiao_issue_manual(fapiao=fapiao, **data),
            done=_("Fapiao recorded."),
        )

    def download_view(self, request, object_id):
        fapiao = get_object_or_404(Fapiao, pk=object_id)
        if not self.has_view_permission(request, fapiao) or not fapiao.document:
            raise PermissionDenied
        return fapiao_document_response(fapiao)

    def document_view(self, request, object_id):
        return self._form_view(
            request,
            object_id,
            title=_("Attach the fapiao file of bill %(bill)s"),
            form_class=DocumentForm,
            perform=lambda fapiao, data: fapiao_document_attach(fapiao=fapiao, **data),
            done=_("Fapiao file attached."),
        )


@admin.register(FapiaoBatch)
class FapiaoBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "exported_by", "fapiao_count", "result_imported_at"]
    readonly_fields = ["exported_at", "exported_by", "file", "result_file", "result_imported_at"]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("exported_by").annotate(fapiao_count=Count("fapiaos"))

    @admin.display(description=_("fapiao"))
    def fapiao_count(self, batch):
        return batch.fapiao_count

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<path:object_id>/download/",
                self.admin_site.admin_view(self.download_view),
                name="billing_fapiaobatch_download",
            ),
            path(
                "<path:object_id>/result/",
                self.admin_site.admin_view(self.result_view),
                name="billing_fapiaobatch_result",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, object_id):
        batch = get_object_or_404(FapiaoBatch, pk=object_id)
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        return FileResponse(
            batch.file.open("rb"),
            as_attachment=True,
            filename=f"fapiao-batch-{batch.pk}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    def result_view(self, request, object_id):
        batch = get_object_or_404(FapiaoBatch, pk=object_id)
        if not self.has_change_permission(request, batch):
            raise PermissionDenied
        return service_form_view(
            self,
            request,
            form=ResultFileForm(request.POST or None, request.FILES or None),
            title=_("Read the tax platform's result for %(batch)s") % {"batch": batch},
            perform=lambda data: fapiao_batch_result_import(batch=batch, content=data["result_file"].read()),
            done=lambda counts: (
                _("%(issued)d fapiao issued, %(refused)d refused (they wait in the queue with the reason).") % counts
            ),
            next_url=reverse("admin:billing_fapiaobatch_change", args=[batch.pk]),
            template="admin/billing/fapiao/form.html",
            original=batch,
        )
