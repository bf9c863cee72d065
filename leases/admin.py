import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from parkops.admin import ServiceFormsetMixin, add_service_errors
from tenants.models import IndustryCluster

from .models import Building, Floor, Lease, LeaseUnit, Prospect, ProspectActivity, Unit
from .selectors import pipeline_by_stage, stacking_plan, stale_deals
from .services import (
    building_save,
    floor_save,
    floor_units_check,
    lease_sign,
    prospect_activity_save,
    prospect_convert_to_lease,
    prospect_save,
    unit_save,
)


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "gross_floor_area", "storeys_above_ground", "stacking_plan_link"]
    search_fields = ["code", "name_zh", "name_en", "address"]

    def save_model(self, request, obj, form, change):
        building_save(building=obj)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/stacking-plan/",
                self.admin_site.admin_view(self.stacking_plan_view),
                name="leases_building_stacking_plan",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("stacking plan"))
    def stacking_plan_link(self, building):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:leases_building_stacking_plan", args=[building.pk]), _("Open")
        )

    def stacking_plan_view(self, request, object_id):
        building = get_object_or_404(Building, pk=object_id)
        if not self.has_view_permission(request, building):
            raise PermissionDenied
        on = timezone.localdate()
        if request.GET.get("on"):
            try:
                on = datetime.date.fromisoformat(request.GET["on"])
            except ValueError:
                messages.error(request, _("“%(value)s” is not a date; showing today.") % {"value": request.GET["on"]})
        colour_by = "status" if request.GET.get("colour") == "status" else "cluster"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": building,
            "title": _("Stacking plan of %(building)s") % {"building": building.name},
            "plan": stacking_plan(building=building, on=on),
            "colour_by": colour_by,
            "clusters": IndustryCluster.objects.all(),
            "statuses": Unit.Status,
        }
        return TemplateResponse(request, "admin/leases/building/stacking_plan.html", context)


class UnitInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f.instance for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]
        deleted = [f.instance for f in self.deleted_forms if f.instance.pk]
        try:
            floor_units_check(floor=self.instance, units=kept, deleted=deleted)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class UnitInline(admin.TabularInline):
    model = Unit
    formset = UnitInlineFormSet
    fields = ["code", "use", "leasable_area", "is_demo", "notes"]
    extra = 0


@admin.register(Floor)
class FloorAdmin(admin.ModelAdmin):
    list_display = ["__str__", "label", "sort_order", "main_use", "gross_area", "leasable_area", "is_demo"]
    list_filter = ["building", "main_use", "is_demo"]
    list_select_related = ["building"]
    search_fields = ["label", "building__code", "building__name_zh"]
    inlines = [UnitInline]

    def save_model(self, request, obj, form, change):
        """The floor is saved with its units in ``save_related``, through one service call."""

    def save_related(self, request, form, formsets, change):
        units_formset = next(formset for formset in formsets if formset.model is Unit)
        units = units_formset.save(commit=False)
        floor_save(floor=form.instance, units=units, deleted=units_formset.deleted_objects)


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["floor", "code", "use", "leasable_area", "is_demo", "notes"]

    def clean(self):
        cleaned = super().clean()
        floor = cleaned.get("floor")
        if floor and cleaned.get("code") and cleaned.get("leasable_area"):
            proposed = Unit(pk=self.instance.pk, floor=floor, code=cleaned["code"], leasable_area=cleaned["leasable_area"])
            try:
                floor_units_check(floor=floor, units=[proposed])
            except ValidationError as error:
                raise ValidationError(error.message_dict) from error
        return cleaned


class OccupancyStatusFilter(admin.SimpleListFilter):
    title = _("status today")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Unit.Status.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(occupancy_status=self.value())
        return queryset


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitForm
    list_display = ["__str__", "floor", "use", "leasable_area", "status_today", "is_demo"]
    list_filter = [OccupancyStatusFilter, "building", "use", "floor__main_use", "is_demo"]
    list_select_related = ["building", "floor__building"]
    search_fields = ["code", "building__code", "notes"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_occupancy(on=timezone.localdate())

    @admin.display(description=_("status today"), ordering="occupancy_status")
    def status_today(self, unit):
        return Unit.Status(unit.occupancy_status).label

    def save_model(self, request, obj, form, change):
        unit_save(unit=obj)


class LeaseUnitInline(admin.TabularInline):
    model = LeaseUnit
    fields = ["unit", "starts_on", "ends_on", "is_binding"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Lease)
class LeaseAdmin(admin.ModelAdmin):
    list_display = ["number", "tenant", "status", "signed_on", "starts_on", "ends_on"]
    list_filter = ["status"]
    list_select_related = ["tenant"]
    search_fields = ["number", "tenant__name", "tenant__short_name", "lease_units__unit__code"]
    readonly_fields = ["number", "tenant", "status", "signed_on", "starts_on", "ends_on"]
    inlines = [LeaseUnitInline]
    actions = ["sign_leases"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Sign the selected draft leases today"), permissions=["change"])
    def sign_leases(self, request, queryset):
        for lease in queryset:
            try:
                lease_sign(lease=lease, signed_on=timezone.localdate())
            except ValidationError as error:
                self.message_user(request, f"{lease.number}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("Lease %(number)s signed.") % {"number": lease.number})


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
    list_display = ["company", "stage", "area_wanted", "quoted_rent", "quoted_rent_basis", "owner",
                    "next_action", "next_action_on", "last_activity_at", "lease"]
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
            path("<path:object_id>/convert/", self.admin_site.admin_view(self.convert_view),
                 name="leases_prospect_convert"),
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
