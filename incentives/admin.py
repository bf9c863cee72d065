from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyInline, service_form_view
from tenants.models import TenantCompany

from .models import GrantCredit, IncentiveGrant, IncentivePolicy
from .services import grant_create, grant_decide, policy_companies


@admin.register(IncentivePolicy)
class IncentivePolicyAdmin(admin.ModelAdmin):
    list_display = [
        "name_zh",
        "kind",
        "reduction_percent",
        "months",
        "indicator_code",
        "threshold",
        "is_active",
        "eligible_link",
    ]
    list_filter = ["kind", "is_active"]
    filter_horizontal = ["clusters"]

    @admin.display(description=_("eligible companies"))
    def eligible_link(self, policy):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:incentives_incentivepolicy_eligible", args=[policy.pk]),
            _("who is eligible"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/eligible/",
                self.admin_site.admin_view(self.eligible_view),
                name="incentives_incentivepolicy_eligible",
            ),
            *super().get_urls(),
        ]

    def eligible_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        policy = get_object_or_404(IncentivePolicy, pk=pk)
        today = timezone.localdate()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": policy,
            "title": _("Who is eligible for %(policy)s on %(day)s") % {"policy": policy, "day": today.isoformat()},
            "rows": policy_companies(policy=policy, on=today),
        }
        return TemplateResponse(request, "admin/incentives/eligible.html", context)


class CreditInline(ReadOnlyInline):
    model = GrantCredit
    fields = ["bill", "bill_line", "amount", "credit_note", "created_at"]


class GrantForm(forms.Form):
    policy = forms.ModelChoiceField(label=_("policy"), queryset=IncentivePolicy.objects.filter(is_active=True))
    company = forms.ModelChoiceField(
        label=_("company"), queryset=TenantCompany.objects.filter(status=TenantCompany.Status.TENANT).order_by("name")
    )
    starts_on = forms.DateField(label=_("from"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("keep", _("Keep the grant")), ("withdraw", _("Withdraw it from today (claw back)"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("why"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(IncentiveGrant)
class IncentiveGrantAdmin(admin.ModelAdmin):
    """Grants are made through the grant form (which checks eligibility) and changed only by decisions."""

    list_display = ["company", "policy", "starts_on", "ends_on", "status", "beds", "decide_link"]
    list_filter = ["status", "policy"]
    list_select_related = ["company", "policy"]
    search_fields = ["company__name", "company__short_name"]
    inlines = [CreditInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("decision"))
    def decide_link(self, grant):
        if grant.status != IncentiveGrant.Status.FLAGGED:
            return ""
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:incentives_incentivegrant_decide", args=[grant.pk]), _("decide")
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="incentives_incentivegrant_decide",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied

        def perform(data):  # a rent reduction is credited on the bills once the grant is committed
            return grant_create(
                policy=data["policy"], company=data["company"], starts_on=data["starts_on"], user=request.user
            )

        return service_form_view(
            self,
            request,
            form=GrantForm(request.POST or None, initial={"starts_on": timezone.localdate()}),
            title=_("Grant an incentive"),
            perform=perform,
            done=lambda grant: (
                _("%(grant)s granted until %(day)s.") % {"grant": grant, "day": grant.ends_on.isoformat()}
            ),
            next_url=reverse("admin:incentives_incentivegrant_changelist"),
            template="admin/incentives/form.html",
        )

    def decide_view(self, request, pk: int):
        if not self.has_change_permission(request):
            raise PermissionDenied
        grant = get_object_or_404(IncentiveGrant.objects.select_related("policy", "company"), pk=pk)
        return service_form_view(
            self,
            request,
            form=DecisionForm(request.POST or None),
            title=_("Decide on %(grant)s") % {"grant": grant},
            perform=lambda data: grant_decide(
                grant=grant, keep=data["decision"] == "keep", note=data["note"], user=request.user
            ),
            done=lambda decided: (
                _("%(grant)s: %(status)s.") % {"grant": decided, "status": decided.get_status_display()}
            ),
            next_url=reverse("admin:incentives_incentivegrant_change", args=[grant.pk]),
            template="admin/incentives/form.html",
            original=grant,
        )
