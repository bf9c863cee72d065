from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyInline, WrittenByServicesMixin, service_form_view
from tenants.models import TenantCompany

from .exports import company_workbook, period_workbook
from .models import Filing, FilingEvidence, FilingValue, Indicator, PeriodIndicator, ReportingPeriod
from .selectors import period_completion
from .services import filing_accept, filing_exempt, filing_return, period_open

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "unit", "decimal_places", "change_limit", "effective_from", "effective_to"]
    list_filter = ["code"]
    search_fields = ["code", "name_zh", "name_en"]


class PeriodIndicatorInline(admin.TabularInline):
    model = PeriodIndicator
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    """Staff prepare a period (its indicators and deadline), open it, and follow its completion."""

    list_display = ["__str__", "kind", "deadline", "status", "completion_link"]
    list_filter = ["kind", "status"]
    inlines = [PeriodIndicatorInline]
    readonly_fields = ["status", "opened_at"]
    actions = ["open_periods"]

    @admin.display(description=_("completion"))
    def completion_link(self, period):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">XLSX</a>',
            reverse("admin:filings_reportingperiod_completion", args=[period.pk]),
            _("completion"),
            reverse("admin:filings_reportingperiod_export", args=[period.pk]),
        )

    @admin.action(description=_("Open the selected periods for filing"))
    def open_periods(self, request, queryset):
        from django.core.exceptions import ValidationError

        for period in queryset:
            try:
                added = period_open(period=period)
            except ValidationError as error:
                self.message_user(request, f"{period}: {' '.join(error.messages)}", level="error")
            else:
                self.message_user(
                    request, _("%(period)s is open: %(count)d filings added.") % {"period": period, "count": added}
                )

    def get_urls(self):
        return [
            path(
                "<int:pk>/completion/",
                self.admin_site.admin_view(self.completion_view),
                name="filings_reportingperiod_completion",
            ),
            path(
                "<int:pk>/export/", self.admin_site.admin_view(self.export_view), name="filings_reportingperiod_export"
            ),
            *super().get_urls(),
        ]

    def completion_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        period = get_object_or_404(ReportingPeriod, pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": period,
            "title": _("Completion of %(period)s") % {"period": period},
            "completion": period_completion(period=period, on=timezone.localdate()),
        }
        return TemplateResponse(request, "admin/filings/completion.html", context)

    def export_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        period = get_object_or_404(ReportingPeriod, pk=pk)
        return _xlsx(period_workbook(period=period), f"statistics-{period.label}.xlsx")


class ValueInline(ReadOnlyInline):
    model = FilingValue
    fields = ["indicator", "value", "explanation"]


class EvidenceInline(ReadOnlyInline):
    model = FilingEvidence
    fields = ["file", "description", "uploaded_at", "uploaded_by"]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("accept", _("Accept")), ("return", _("Return for correction"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ExemptForm(forms.Form):
    reason = forms.CharField(label=_("why exempt"), max_length=200)


class LateFilter(admin.SimpleListFilter):
    title = _("late")
    parameter_name = "late"

    def lookups(self, request, model_admin):
        return [("yes", _("late"))]

    def queryset(self, request, queryset):
        return queryset.late(on=timezone.localdate()) if self.value() == "yes" else queryset


@admin.register(Filing)
class FilingAdmin(WrittenByServicesMixin, admin.ModelAdmin):
    """Filings are made by opening a period and filled in by the companies; staff review them here."""

    list_display = ["company", "period", "status", "submitted_on", "late", "review_link"]
    list_filter = ["period", "status", LateFilter, "company__primary_cluster"]
    list_select_related = ["company", "period"]
    search_fields = ["company__name", "company__short_name", "company__credit_code"]
    inlines = [ValueInline, EvidenceInline]

    @admin.display(description=_("late"), boolean=True)
    def late(self, filing):
        return filing.is_late()

    @admin.display(description=_("review"))
    def review_link(self, filing):
        if filing.status == Filing.Status.SUBMITTED:
            return format_html(
                '<a href="{}">{}</a>', reverse("admin:filings_filing_review", args=[filing.pk]), _("review")
            )
        if filing.status in (Filing.Status.DRAFT, Filing.Status.RETURNED):
            return format_html(
                '<a href="{}">{}</a>', reverse("admin:filings_filing_exempt", args=[filing.pk]), _("exempt")
            )
        return ""

    def get_urls(self):
        return [
            path("<int:pk>/review/", self.admin_site.admin_view(self.review_view), name="filings_filing_review"),
            path("<int:pk>/exempt/", self.admin_site.admin_view(self.exempt_view), name="filings_filing_exempt"),
            path(
                "company/<int:company_pk>/history/",
                self.admin_site.admin_view(self.history_export_view),
                name="filings_filing_company_history",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, pk: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        filing = get_object_or_404(Filing.objects.select_related("period", "company"), pk=pk)

        def perform(data):
            if data["decision"] == "accept":
                return filing_accept(filing=filing, user=request.user, comment=data["comment"])
            return filing_return(filing=filing, user=request.user, comment=data["comment"])

        return service_form_view(
            self,
            request,
            form=ReviewForm(request.POST or None),
            title=_("Review %(filing)s") % {"filing": filing},
            perform=perform,
            done=lambda done: _("%(filing)s: %(status)s.") % {"filing": done, "status": done.get_status_display()},
            next_url=reverse("admin:filings_filing_changelist") + f"?period__id__exact={filing.period_id}",
            template="admin/filings/review.html",
            original=filing,
            values=FilingValue.objects.filter(filing=filing).select_related("indicator"),
            evidence=FilingEvidence.objects.filter(filing=filing),
        )

    def exempt_view(self, request, pk: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        filing = get_object_or_404(Filing, pk=pk)
        return service_form_view(
            self,
            request,
            form=ExemptForm(request.POST or None),
            title=_("Exempt %(filing)s") % {"filing": filing},
            perform=lambda data: filing_exempt(filing=filing, reason=data["reason"]),
            done=_("The company is exempt from this period."),
            next_url=reverse("admin:filings_filing_changelist"),
            template="admin/filings/review.html",
            original=filing,
        )

    def history_export_view(self, request, company_pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        company = get_object_or_404(TenantCompany, pk=company_pk)
        return _xlsx(company_workbook(company=company), f"statistics-{company.credit_code or company.pk}.xlsx")
