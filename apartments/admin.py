from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apartments.models import ApartmentApplication, ApartmentQuota, ApartmentRoom, Bed, BedAllocation
from apartments.services import (
    allocation_check_in,
    allocation_check_out,
    apartment_apply,
    apartment_rent_schedule,
    application_approve,
    application_reject,
    application_waitlist,
)
from core.forms import add_service_errors
from core.masking import mask_id, mask_phone

IDENTITY = "apartments.view_resident_identity"


class BedInline(admin.TabularInline):
    model = Bed
    extra = 0
    fields = ["label"]


@admin.register(ApartmentRoom)
class ApartmentRoomAdmin(admin.ModelAdmin):
    list_display = ["unit", "layout", "furnished", "rent_basis", "monthly_rent", "deposit"]
    list_filter = ["layout", "furnished", "unit__floor"]
    list_select_related = ["unit__building"]
    search_fields = ["unit__code"]
    inlines = [BedInline]


@admin.register(ApartmentQuota)
class ApartmentQuotaAdmin(admin.ModelAdmin):
    list_display = ["company", "beds", "bill_to", "basis"]
    list_select_related = ["company"]
    search_fields = ["company__name", "company__short_name"]
    autocomplete_fields = ["company"]


class MaskedIdentityMixin:
    """Full ID numbers and phones only for users with the dedicated permission; masked for the rest,
    in lists and on the change page alike."""

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj):
        return mask_id(obj.id_number)

    @admin.display(description=_("phone"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    def _swap(self, request, names):
        if request.user.has_perm(IDENTITY):
            return list(names)
        return [{"id_number": "masked_id_number", "phone": "masked_phone"}.get(name, name) for name in names]

    def get_list_display(self, request):
        return self._swap(request, super().get_list_display(request))

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return self._swap(request, fields) if obj is not None else fields

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.has_perm(IDENTITY):
            readonly += ["masked_id_number", "masked_phone"]
        return readonly


class ApproveForm(forms.Form):
    bed = forms.ModelChoiceField(label=_("bed"), queryset=Bed.objects.select_related("room__unit"))


@admin.register(ApartmentApplication)
class ApartmentApplicationAdmin(MaskedIdentityMixin, admin.ModelAdmin):
    list_display = ["name", "company", "id_number", "phone", "wanted_from", "months", "status", "created_at"]
    list_filter = ["status", "id_type"]
    list_select_related = ["company"]
    search_fields = ["name", "company__name", "company__short_name"]
    autocomplete_fields = ["company"]
    readonly_fields = ["status", "rejection_reason", "applied_by"]
    fields = [
        "company",
        "name",
        "id_type",
        "id_number",
        "phone",
        "wanted_from",
        "months",
        "status",
        "rejection_reason",
        "applied_by",
    ]
    actions = ["waitlist"]

    def save_model(self, request, obj, form, change):
        obj.applied_by = obj.applied_by or request.user
        apartment_apply(application=obj)

    @admin.action(description=_("Put the selected applications on the waiting list"), permissions=["change"])
    def waitlist(self, request, queryset):
        for application in queryset.filter(status=ApartmentApplication.Status.PENDING):
            application_waitlist(application=application)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="apartments_apartmentapplication_approve",
            ),
            path(
                "<path:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="apartments_apartmentapplication_reject",
            ),
            *super().get_urls(),
        ]

    def _form_view(self, request, object_id, form_class, title, perform):
        application = get_object_or_404(ApartmentApplication.objects.select_related("company"), pk=object_id)
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                perform(application, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return HttpResponseRedirect(reverse("admin:apartments_apartmentapplication_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": application,
            "title": title % {"name": application.name},
            "form": form,
        }
        return TemplateResponse(request, "admin/apartments/apartment_form.html", context)

    def approve_view(self, request, object_id):
        return self._form_view(
            request,
            object_id,
            ApproveForm,
            _("Allocate a bed to %(name)s"),
            lambda application, data: application_approve(application=application, bed=data["bed"]),
        )

    def reject_view(self, request, object_id):
        class RejectForm(forms.Form):
            reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))

        return self._form_view(
            request,
            object_id,
            RejectForm,
            _("Reject the application of %(name)s"),
            lambda application, data: application_reject(application=application, reason=data["reason"]),
        )


@admin.register(BedAllocation)
class BedAllocationAdmin(MaskedIdentityMixin, admin.ModelAdmin):
    list_display = [
        "bed",
        "name",
        "company",
        "id_number",
        "phone",
        "check_in",
        "planned_check_out",
        "actual_check_out",
        "check_out_requested_for",
        "status",
    ]
    list_filter = ["status", "company"]
    list_select_related = ["bed__room__unit", "company"]
    search_fields = ["name", "company__name", "bed__room__unit__code"]
    readonly_fields = [
        "bed",
        "company",
        "application",
        "check_in",
        "planned_check_out",
        "actual_check_out",
        "monthly_rent",
        "status",
        "check_out_requested_for",
        "name",
        "id_type",
    ]
    fields = [
        "bed",
        "company",
        "application",
        "name",
        "id_type",
        "id_number",
        "phone",
        "check_in",
        "planned_check_out",
        "actual_check_out",
        "check_out_requested_for",
        "monthly_rent",
        "status",
    ]
    actions = ["check_in", "check_out_today", "schedule_rent"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Check the selected residents in"), permissions=["change"])
    def check_in(self, request, queryset):
        for allocation in queryset:
            try:
                allocation_check_in(allocation=allocation)
            except ValidationError as error:
                self.message_user(request, f"{allocation}: {' '.join(error.messages)}", messages.ERROR)

    @admin.action(description=_("Check the selected residents out today"), permissions=["change"])
    def check_out_today(self, request, queryset):
        for allocation in queryset:
            try:
                allocation_check_out(allocation=allocation, on=timezone.localdate())
            except ValidationError as error:
                self.message_user(request, f"{allocation}: {' '.join(error.messages)}", messages.ERROR)

    @admin.action(description=_("Schedule this month's rent bills not made yet"), permissions=["change"])
    def schedule_rent(self, request, queryset):
        """Runs the daily job now, for every resident of the month (the selection only starts it)."""
        bills = apartment_rent_schedule(on=timezone.localdate())
        self.message_user(request, _("%(count)d rent bills scheduled.") % {"count": len(bills)})
