from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from core import dashboard
from core.admin import LongListMixin, ServiceFormsetMixin

from .models import (
    AgreementDocument,
    CompanyContact,
    CompanyYearFigure,
    IndustryCluster,
    Milestone,
    Notice,
    PartnerAgreement,
    TenantCompany,
    TenantMembership,
    Visitor,
)
from .resources import CompanyResource
from .selectors import milestone_dashboard
from .services import (
    agreement_document_save,
    agreement_save,
    cluster_save,
    company_save,
    contact_save,
    membership_check,
    membership_save,
    milestone_save,
    normalise_credit_code,
    notice_save,
    visitor_check_in,
    visitor_check_out,
    year_figure_save,
)


class ClusterOrderForm(forms.ModelForm):
    """A row of the cluster list: its order box named by the cluster for screen readers (Django's
    editable lists give their boxes no label)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].widget.attrs["aria-label"] = f"{self.fields['order'].label} · {self.instance}"


@admin.register(IndustryCluster)
class IndustryClusterAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "colour", "order"]
    list_editable = ["order"]
    search_fields = ["code", "name_zh", "name_en"]

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=ClusterOrderForm, **kwargs)

    def save_model(self, request, obj, form, change):
        cluster_save(cluster=obj)


class TenantCompanyForm(forms.ModelForm):
    class Meta:
        model = TenantCompany
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose the fields shown)

    def clean_credit_code(self):
        return normalise_credit_code(self.cleaned_data["credit_code"])


class ContactInline(admin.TabularInline):
    model = CompanyContact
    extra = 0
    fields = ["name", "role", "phone", "email", "is_primary"]


class YearFigureInline(admin.TabularInline):
    model = CompanyYearFigure
    extra = 0
    fields = ["year", "output_value", "revenue", "headcount", "patents", "copyrights", "status"]


class MembershipInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            user = form.cleaned_data.get("user") if form.cleaned_data else None
            if user and not self._should_delete_form(form):
                try:
                    membership_check(user=user)
                except ValidationError as error:
                    form.add_error("user", error.message_dict["user"])


class MembershipInline(admin.TabularInline):
    model = TenantMembership
    formset = MembershipInlineFormSet
    extra = 0
    fields = ["user", "role"]
    raw_id_fields = ["user"]


@admin.register(TenantCompany)
class TenantCompanyAdmin(LongListMixin, ServiceFormsetMixin, ImportExportMixin, SimpleHistoryAdmin):
    form = TenantCompanyForm
    resource_classes = [CompanyResource]
    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]
    list_display = [
        "name",
        "short_name",
        "credit_code",
        "primary_cluster",
        "status",
        "stock_exchange",
        "is_incubated_in_park",
        "is_demo",
    ]
    list_filter = [
        "status",
        "primary_cluster",
        "secondary_clusters",
        "stock_exchange",
        "is_incubated_in_park",
        "is_demo",
    ]
    list_select_related = ["primary_cluster"]
    search_fields = ["name", "short_name", "name_en", "credit_code"]
    filter_horizontal = ["secondary_clusters"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ContactInline, YearFigureInline, MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "name_en", "credit_code", "status"]}),
        (_("Industry"), {"fields": ["primary_cluster", "secondary_clusters"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "stock_exchange",
                    "ticker",
                    "is_incubated_in_park",
                    "moved_in_on",
                    "headcount",
                    "registered_capital",
                ]
            },
        ),
        (_("Other"), {"fields": ["notes", "is_demo", "created_at", "updated_at"]}),
    ]
    formset_services = {
        CompanyContact: lambda contact: contact_save(contact=contact),
        CompanyYearFigure: lambda figure: year_figure_save(figure=figure),
        TenantMembership: lambda membership: membership_save(membership=membership),
    }

    def save_model(self, request, obj, form, change):
        company_save(company=obj)


class DocumentInline(admin.TabularInline):
    model = AgreementDocument
    extra = 0
    fields = ["kind", "title", "file", "size", "uploaded_at"]
    readonly_fields = ["size", "uploaded_at"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["description", "owner", "due_on", "overdue", "status", "completed_on", "evidence", "overdue_flagged_on"]
    readonly_fields = ["overdue", "overdue_flagged_on"]

    @admin.display(description=_("overdue"))
    def overdue(self, milestone):
        days = milestone.days_overdue(on=timezone.localdate()) if milestone.pk else 0
        if not days:
            return ""
        return format_html('<strong class="overdue">{}</strong>', ngettext("%d day", "%d days", days) % days)


@admin.register(PartnerAgreement)
class PartnerAgreementAdmin(ServiceFormsetMixin, SimpleHistoryAdmin):
    list_display = ["title", "partner", "status", "signed_on", "starts_on", "ends_on", "overdue_milestones"]
    list_filter = ["status", "partner__primary_cluster"]
    list_select_related = ["partner"]
    search_fields = ["title", "scope", "partner__name", "partner__short_name"]
    autocomplete_fields = ["partner"]
    inlines = [MilestoneInline, DocumentInline]
    formset_services = {
        Milestone: lambda milestone: milestone_save(milestone=milestone),
        AgreementDocument: lambda document: agreement_document_save(document=document),
    }

    def save_model(self, request, obj, form, change):
        agreement_save(agreement=obj)

    def get_queryset(self, request):
        return super().get_queryset(request).with_overdue_milestones(on=timezone.localdate())

    @admin.display(description=_("overdue milestones"), ordering="overdue_count")
    def overdue_milestones(self, agreement):
        if not agreement.overdue_count:
            return "0"
        return format_html('<strong class="overdue">{}</strong>', agreement.overdue_count)

    def get_urls(self):
        return [
            path("milestones/", self.admin_site.admin_view(self.milestones_view), name="tenants_milestone_dashboard"),
            *super().get_urls(),
        ]

    def milestones_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Partner milestones due within 30 days and overdue"),
            "dashboard": milestone_dashboard(on=timezone.localdate()),
        }
        return TemplateResponse(request, "admin/tenants/milestones.html", context)


class TenantMembershipForm(forms.ModelForm):
    class Meta:
        model = TenantMembership
        fields = ["user", "company", "role"]

    def clean_user(self):
        user = self.cleaned_data["user"]
        try:
            membership_check(user=user)
        except ValidationError as error:
            raise ValidationError(error.message_dict["user"]) from error
        return user


@admin.register(TenantMembership)
class TenantMembershipAdmin(admin.ModelAdmin):
    form = TenantMembershipForm
    list_display = ["user", "company", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "company"]
    search_fields = ["user__username", "user__email", "company__name", "company__short_name"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["company"]

    def save_model(self, request, obj, form, change):
        membership_save(membership=obj)


@dashboard.register
def milestone_panel(request):
    if not request.user.has_perm("tenants.view_partneragreement"):
        return None
    return dashboard.Panel(
        title=_("Partner milestones"),
        template="admin/tenants/milestone_panel.html",
        context={
            "dashboard": milestone_dashboard(on=timezone.localdate()),
            "url": reverse("admin:tenants_milestone_dashboard"),
        },
    )


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "company", "published_at"]
    list_select_related = ["company"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["company"]

    def save_model(self, request, obj, form, change):
        notice_save(notice=obj)


@admin.register(Visitor)
class VisitorAdmin(admin.ModelAdmin):
    """The front desk checks pre-registered visitors in and out here (search by name or pass code)."""

    list_display = [
        "name",
        "organisation",
        "company",
        "host",
        "expected_from",
        "expected_until",
        "checked_in_at",
        "checked_out_at",
    ]
    list_filter = ["company"]
    list_select_related = ["company"]
    search_fields = ["name", "phone", "organisation", "company__name", "company__short_name", "=pass_code"]
    date_hierarchy = "expected_from"
    readonly_fields = ["pass_code", "checked_in_at", "checked_out_at", "registered_by"]
    actions = ["check_in", "check_out"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Check the selected visitors in"), permissions=["change"])
    def check_in(self, request, queryset):
        for visitor in queryset:
            visitor_check_in(visitor=visitor)

    @admin.action(description=_("Check the selected visitors out"), permissions=["change"])
    def check_out(self, request, queryset):
        for visitor in queryset:
            try:
                visitor_check_out(visitor=visitor)
            except ValidationError as error:
                self.message_user(request, f"{visitor.name}: {' '.join(error.messages)}", messages.ERROR)


@admin.register(CompanyYearFigure)
class CompanyYearFigureAdmin(admin.ModelAdmin):
    """Figures submitted by companies wait here for review; only accepted ones count in reports."""

    list_display = ["company", "year", "output_value", "revenue", "headcount", "patents", "copyrights", "status"]
    list_filter = ["status", "year"]
    list_select_related = ["company"]
    search_fields = ["company__name", "company__short_name"]
    actions = ["accept", "reject"]

    def save_model(self, request, obj, form, change):
        year_figure_save(figure=obj)

    @admin.action(description=_("Accept the selected figures"), permissions=["change"])
    def accept(self, request, queryset):
        for figure in queryset:
            figure.status = CompanyYearFigure.Status.ACCEPTED
            year_figure_save(figure=figure)

    @admin.action(description=_("Send the selected figures back"), permissions=["change"])
    def reject(self, request, queryset):
        for figure in queryset:
            figure.status = CompanyYearFigure.Status.REJECTED
            year_figure_save(figure=figure)
