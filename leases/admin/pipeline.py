from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin import ServiceFormsetMixin
from core.forms import add_service_errors
from leases.models import Prospect, ProspectActivity
from leases.selectors import pipeline_by_stage, stale_deals
from leases.services import prospect_activity_save, prospect_convert_to_lease, prospect_save


class ActivityInline(admin.TabularInline):
    model = ProspectActivity
    extra = 1
    fields = ["happened_at", "kind", "note", "by"]
    readonly_fields = ["by"]


class ConvertToLeaseForm(forms.Form):
    number = forms.CharField(label=_("lease number"), max_length=40)
    starts_on = forms.DateField(label=_("starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("ends on"), widget=forms.DateInput(attrs={"type": "date"}))


@admin.register(Prospect)
class ProspectAdmin(ServiceFormsetMixin, admin.ModelAdmin):
    list_display = [
        "company",
        "stage",
        "area_wanted",
        "quoted_rent",
        "quoted_rent_basis",
        "owner",
        "next_action",
        "next_action_on",
        "last_activity_at",
        "lease",
    ]
    list_filter = ["stage", "owner", "is_demo"]
    list_select_related = ["company", "owner", "lease"]
    search_fields = ["company__name", "company__short_name", "next_action"]
    autocomplete_fields = ["company"]
    filter_horizontal = ["units_of_interest", "floors_of_interest"]
    readonly_fields = ["lease"]
    inlines = [ActivityInline]
    formset_services = {ProspectActivity: lambda activity: prospect_activity_save(activity=activity)}

    def get_queryset(self, request):
        return super().get_queryset(request).with_last_activity()

    @admin.display(description=_("last activity"), ordering="last_activity_at")
    def last_activity_at(self, prospect):
        return prospect.last_activity_at

    def save_model(self, request, obj, form, change):
        prospect_save(prospect=obj)

    def save_formset(self, request, form, formset, change):
        for activity_form in formset.forms:
            if activity_form.has_changed() and not activity_form.instance.by_id:
                activity_form.instance.by = request.user
        super().save_formset(request, form, formset, change)

    def get_urls(self):
        return [
            path("pipeline/", self.admin_site.admin_view(self.pipeline_view), name="leases_prospect_pipeline"),
            path(
                "<path:object_id>/convert/",
                self.admin_site.admin_view(self.convert_view),
                name="leases_prospect_convert",
            ),
            *super().get_urls(),
        ]

    def pipeline_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        stages = pipeline_by_stage()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Leasing pipeline"),
            "stages": stages,
            "widest": max((stage.area for stage in stages), default=0) or 1,
            "stale": stale_deals(on=timezone.localdate(), days=settings.PARKOPS_STALE_DEAL_DAYS),
            "stale_days": settings.PARKOPS_STALE_DEAL_DAYS,
        }
        return TemplateResponse(request, "admin/leases/prospect/pipeline.html", context)

    def convert_view(self, request, object_id):
        prospect = get_object_or_404(Prospect.objects.select_related("company"), pk=object_id)
        if not (self.has_change_permission(request, prospect) and request.user.has_perm("leases.add_lease")):
            raise PermissionDenied
        form = ConvertToLeaseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                lease = prospect_convert_to_lease(prospect=prospect, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(request, _("Draft lease %(number)s created.") % {"number": lease.number})
                return HttpResponseRedirect(reverse("admin:leases_lease_change", args=[lease.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": prospect,
            "title": _("Convert %(deal)s into a draft lease") % {"deal": prospect.company.display_name},
            "form": form,
            "units": prospect.units_of_interest.order_by("code"),
        }
        return TemplateResponse(request, "admin/leases/prospect/convert.html", context)
