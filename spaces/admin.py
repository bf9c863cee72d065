from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, When
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import LongListMixin, requested_day

from .models import Building, Floor, Unit
from .plan_cache import stacking_plan_markup
from .services import building_save, floor_save, floor_units_check, unit_save


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_zh",
        "name_en",
        "gross_floor_area",
        "storeys_above_ground",
        "stacking_plan_link",
        "rent_roll_link",
    ]
    search_fields = ["code", "name_zh", "name_en", "address"]

    def save_model(self, request, obj, form, change):
        building_save(building=obj)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/stacking-plan/",
                self.admin_site.admin_view(self.stacking_plan_view),
                name="spaces_building_stacking_plan",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("rent roll"))
    def rent_roll_link(self, building):
        """The rent roll is the leases app's view of a building; it is linked here by its URL name."""
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:leases_lease_rent_roll", args=[building.pk]), _("Open")
        )

    @admin.display(description=_("stacking plan"))
    def stacking_plan_link(self, building):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:spaces_building_stacking_plan", args=[building.pk]), _("Open")
        )

    def stacking_plan_view(self, request, object_id):
        building = get_object_or_404(Building, pk=object_id)
        if not self.has_view_permission(request, building):
            raise PermissionDenied
        on = requested_day(request)
        colour_by = "status" if request.GET.get("colour") == "status" else "cluster"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": building,
            "title": _("Stacking plan of %(building)s") % {"building": building.name},
            "on": on,
            "colour_by": colour_by,
            "plan_markup": stacking_plan_markup(building=building, on=on, colour_by=colour_by),
        }
        return TemplateResponse(request, "admin/spaces/building/stacking_plan.html", context)


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
            proposed = Unit(
                pk=self.instance.pk, floor=floor, code=cleaned["code"], leasable_area=cleaned["leasable_area"]
            )
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
class UnitAdmin(LongListMixin, admin.ModelAdmin):
    form = UnitForm
    list_display = ["__str__", "floor", "use", "leasable_area", "status_today", "is_demo"]
    list_filter = [OccupancyStatusFilter, "building", "use", "floor__main_use", "is_demo"]
    list_select_related = ["building", "floor__building"]
    search_fields = ["code", "building__code", "notes"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_occupancy(on=timezone.localdate())

    def get_search_results(self, request, queryset, search_term):
        """Picking a lease's units offers the units let by lease (offices and shops), vacant first."""
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/") and request.GET.get("model_name") == "lease":
            queryset = queryset.filter(use__in=Unit.LEASED_USES).select_related("building", "floor")
            queryset = queryset.order_by(
                Case(When(occupancy_status=Unit.Status.VACANT, then=0), default=1), "building__code", "code"
            )
        return queryset, duplicates

    def autocomplete_label(self, unit) -> str:
        """LDC-1203 · 12F · 120.50 m² · vacant: what staff need to choose a unit for a lease."""
        return (
            f"{unit} · {unit.floor.label} · {unit.leasable_area:,.2f} m² · {Unit.Status(unit.occupancy_status).label}"
        )

    @admin.display(description=_("status today"), ordering="occupancy_status")
    def status_today(self, unit):
        return Unit.Status(unit.occupancy_status).label

    def save_model(self, request, obj, form, change):
        unit_save(unit=obj)
