from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from billing.documents import deposit_receipt_response
from billing.models import Bill, DepositEntry
from billing.selectors import lease_billed_value
from billing.services import deposit_held, deposit_movement_post
from core.admin import LongListMixin, ReadOnlyInline, requested_day
from core.forms import add_service_errors
from leases.exports import rent_roll_dataset
from leases.models import Lease, LeaseAmendment, LeaseEscalation, LeaseFreePeriod, LeaseSettlement, LeaseUnit
from leases.selectors import lease_unit_conflicts, rent_roll
from leases.services import (
    conflict_messages,
    hold_start,
    lease_amend,
    lease_renew,
    lease_save,
    lease_settle,
    lease_settlement,
    lease_sign,
    lease_terminate,
)
from spaces.models import Building, Unit


class LeaseForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A signed lease's terms change only with a reason; the change is kept as an amendment."),
    )
    leased_units = forms.ModelMultipleChoiceField(
        label=_("units"),
        queryset=Unit.objects.select_related("building"),
        # Typed search over the units let by lease, each shown with its floor, area and vacancy today
        # (UnitAdmin.autocomplete_label), instead of a flat list of hundreds of codes.
        widget=admin.widgets.AutocompleteSelectMultiple(Lease._meta.get_field("units"), admin.site),
    )

    class Meta:
        model = Lease
        fields = [
            "number",
            "tenant",
            "starts_on",
            "ends_on",
            "area_override",
            "area_override_reason",
            "rent_rate",
            "rent_basis",
            "fee_rate",
            "payment_cycle",
            "due_day",
            "deposit_amount",
            "late_fee_rate",
            "late_fee_grace_days",
            "late_fee_cap_ratio",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["leased_units"] = list(self.instance.units.values_list("pk", flat=True))

    def clean_change_reason(self):
        """The service's rule, at the field: a signed lease changes only with a reason (an
        unchanged one is saved without an amendment, whatever is written here)."""
        reason = self.cleaned_data["change_reason"].strip()
        if self.instance.pk and self.instance.status != Lease.Status.DRAFT and not reason:
            raise ValidationError(_("Say why the terms of the signed lease change."))
        return reason


class FreePeriodFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """Refuse units already let on any day this lease would hold them, fit-out included."""
        super().clean()
        lease, units = self.instance, getattr(self.instance, "proposed_units", None)
        if any(self.errors) or not units or lease.status == Lease.Status.DRAFT or not lease.starts_on:
            return
        periods = [
            LeaseFreePeriod(starts_on=f.cleaned_data["starts_on"], ends_on=f.cleaned_data["ends_on"])
            for f in self.forms
            if f.cleaned_data and not self._should_delete_form(f)
        ]
        conflicts = lease_unit_conflicts(
            units=units, starts_on=hold_start(lease, periods), ends_on=lease.last_day, exclude_lease_id=lease.pk
        )
        if conflicts:
            # The conflict is about the units: said at the units field and summed up at the top of the
            # page; this inline (whose fit-out periods extend the hold) only points there.
            lease_form = getattr(lease, "lease_form", None)
            if lease_form is not None:
                lease_form.add_error("leased_units", conflict_messages(conflicts))
                lease_form.add_error(
                    None,
                    _("Units already let over these dates: %(units)s. See the units field.")
                    % {"units": "、".join(sorted({conflict.unit.code for conflict in conflicts}))},
                )
                raise ValidationError(_("The units are taken over these dates, fit-out included: see the units field."))
            raise ValidationError(conflict_messages(conflicts))


class FreePeriodInline(admin.TabularInline):
    model = LeaseFreePeriod
    formset = FreePeriodFormSet
    extra = 0
    fields = ["kind", "starts_on", "ends_on", "waives_rent", "waives_fee"]


class EscalationInline(admin.TabularInline):
    model = LeaseEscalation
    extra = 0
    fields = ["applies_to", "effective_on", "every_months", "kind", "value", "rate_decimals"]


class BillInline(ReadOnlyInline):
    model = Bill
    fields = ["number", "period_start", "period_end", "due_on", "amount", "amount_paid", "status"]
    show_change_link = True


class AmendmentInline(ReadOnlyInline):
    model = LeaseAmendment
    fields = ["effective_on", "changes_side_by_side", "reason", "made_by", "made_at"]
    verbose_name_plural = _("amendments (变更)")

    @admin.display(description=_("before → after"))
    def changes_side_by_side(self, amendment):
        return format_html_join(
            mark_safe("<br>"),
            "<strong>{}</strong>: {} → {}",
            ((term, before or "—", after or "—") for term, (before, after) in amendment.changes.items()),
        )


class AmendForm(forms.Form):
    effective_on = forms.DateField(label=_("effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    rent_rate = forms.DecimalField(
        label=_("new rent rate (on the lease's basis)"), required=False, max_digits=10, decimal_places=4
    )
    fee_rate = forms.DecimalField(label=_("new management fee rate"), required=False, max_digits=10, decimal_places=4)
    area = forms.DecimalField(label=_("new leased area (m²)"), required=False, max_digits=10, decimal_places=2)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DepositEntryInline(ReadOnlyInline):
    model = DepositEntry
    fields = ["posted_on", "kind", "amount", "reference", "receipt", "reason", "recorded_by"]
    verbose_name_plural = _("deposit ledger")

    @admin.display(description=_("receipt"))
    def receipt(self, entry):
        if not entry.receipt_number:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:leases_lease_deposit_receipt", args=[entry.pk]), entry.receipt_number
        )


class DepositForm(forms.Form):
    class Movement(models.TextChoices):
        RECEIVED = "received", _("received from the tenant")
        REFUNDED = "refunded", _("refunded to the tenant")
        APPLIED = "applied", _("applied to what the tenant owes")

    movement = forms.ChoiceField(label=_("movement"), choices=Movement.choices)
    amount = forms.DecimalField(label=_("amount (CNY)"), max_digits=14, decimal_places=2)
    on = forms.DateField(label=_("on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("bank's transaction number"), max_length=80, required=False)
    reason = forms.CharField(label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TerminateForm(forms.Form):
    terminated_on = forms.DateField(label=_("last day of the lease"), widget=forms.DateInput(attrs={"type": "date"}))
    termination_reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class RenewForm(forms.Form):
    number = forms.CharField(label=_("number of the renewal"), max_length=40)
    ends_on = forms.DateField(label=_("the renewal ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    rent_rate = forms.DecimalField(
        label=_("new rent rate (empty: the rate in force at the end)"),
        required=False,
        max_digits=10,
        decimal_places=2,
    )
    carry_escalations = forms.BooleanField(
        label=_("carry the recurring escalations over"), required=False, initial=True
    )


@admin.register(Lease)
class LeaseAdmin(LongListMixin, SimpleHistoryAdmin):
    form = LeaseForm
    list_display = [
        "number",
        "tenant",
        "units_column",
        "area_column",
        "status",
        "starts_on",
        "ends_on",
        "rent_column",
        "open_column",
    ]
    list_filter = ["status", "payment_cycle", "rent_basis"]
    list_select_related = ["tenant"]
    ordering = ["-starts_on", "-pk"]  # the newest leases first
    search_fields = ["number", "tenant__name", "tenant__short_name", "lease_units__unit__code"]
    autocomplete_fields = ["tenant"]

    def get_queryset(self, request):
        """The list's units, leased area and what the lease's bills ask today, in the page's queries."""
        open_bills = (
            Bill.objects.filter(lease=OuterRef("pk"))
            .exclude(status__in=[Bill.Status.SCHEDULED, Bill.Status.VOID])
            .values("lease")
            .annotate(total=Sum(F("amount_due") - F("amount_paid")))
            .values("total")
        )
        return (
            super()
            .get_queryset(request)
            .with_area()
            .annotate(open_amount=Coalesce(Subquery(open_bills), Value(Decimal("0.00"))))
            .prefetch_related(
                Prefetch("lease_units", queryset=LeaseUnit.objects.select_related("unit").order_by("unit__code"))
            )
        )

    @admin.display(description=_("units"))
    def units_column(self, lease):
        return ", ".join(row.unit.code for row in lease.lease_units.all())

    @admin.display(description=_("area (m²)"), ordering="leased_area")
    def area_column(self, lease):
        return number_format(lease.leased_area, 2, force_grouping=True)

    @admin.display(description=_("rent"))
    def rent_column(self, lease):
        return f"{number_format(lease.rent_rate, 2, force_grouping=True)} {lease.get_rent_basis_display()}"

    @admin.display(description=_("open on its bills (CNY)"), ordering="open_amount")
    def open_column(self, lease):
        return number_format(lease.open_amount, 2, force_grouping=True)

    readonly_fields = [
        "status",
        "signed_on",
        "terminated_on",
        "termination_reason",
        "renews",
        "billed_so_far",
        "deposit_held_now",
    ]
    inlines = [FreePeriodInline, EscalationInline, BillInline, DepositEntryInline, AmendmentInline]
    actions = ["sign_leases"]
    fieldsets = [
        (None, {"fields": ["number", "tenant", "status", "signed_on", "renews"]}),
        (
            _("Term and space"),
            {"fields": ["starts_on", "ends_on", "leased_units", "area_override", "area_override_reason"]},
        ),
        (_("Rent"), {"fields": ["rent_rate", "rent_basis", "fee_rate", "payment_cycle", "due_day"]}),
        (
            _("Deposit and late fees"),
            {"fields": ["deposit_amount", "late_fee_rate", "late_fee_grace_days", "late_fee_cap_ratio"]},
        ),
        (_("Billed and held"), {"fields": ["billed_so_far", "deposit_held_now"]}),
        (_("Early termination"), {"fields": ["terminated_on", "termination_reason"]}),
        (_("Amendment (变更)"), {"fields": ["change_reason"]}),
    ]

    @admin.display(description=_("billed so far, less credit notes (CNY)"))
    def billed_so_far(self, lease):
        return lease_billed_value(lease_id=lease.pk) if lease.pk else "—"

    @admin.display(description=_("deposit held (CNY)"))
    def deposit_held_now(self, lease):
        return deposit_held(lease_id=lease.pk) if lease.pk else "—"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class WithProposedUnits(form):
            def clean(inner):
                cleaned = super().clean()
                inner.instance.proposed_units = cleaned.get("leased_units")
                inner.instance.lease_form = inner  # where the inlines report a conflict over the units
                return cleaned

        return WithProposedUnits

    def save_model(self, request, obj, form, change):
        """The lease is saved with its units, periods and escalations in ``save_related``, in one service call."""

    def save_related(self, request, form, formsets, change):
        rows = {formset.model: formset for formset in formsets}
        for formset in formsets:
            formset.save(commit=False)  # sorts new, changed and deleted rows for the admin's change message

        def kept(formset):
            return [f.instance for f in formset.forms if f.cleaned_data and not formset._should_delete_form(f)]

        lease_save(
            lease=form.instance,
            units=list(form.cleaned_data["leased_units"]),
            free_periods=kept(rows[LeaseFreePeriod]),
            escalations=kept(rows[LeaseEscalation]),
            reason=form.cleaned_data.get("change_reason", ""),
            changed_by=request.user,
        )

    @admin.action(description=_("Sign the selected draft leases today"), permissions=["change"])
    def sign_leases(self, request, queryset):
        for lease in queryset:
            try:
                lease_sign(lease=lease, signed_on=timezone.localdate())
            except ValidationError as error:
                self.message_user(request, f"{lease.number}: {' '.join(error.messages)}", "error")
            else:
                self.message_user(request, _("Lease %(number)s signed.") % {"number": lease.number})

    def get_urls(self):
        return [
            path(
                "<path:object_id>/terminate/",
                self.admin_site.admin_view(self.terminate_view),
                name="leases_lease_terminate",
            ),
            path("<path:object_id>/renew/", self.admin_site.admin_view(self.renew_view), name="leases_lease_renew"),
            path("<path:object_id>/amend/", self.admin_site.admin_view(self.amend_view), name="leases_lease_amend"),
            path(
                "<path:object_id>/deposit/", self.admin_site.admin_view(self.deposit_view), name="leases_lease_deposit"
            ),
            path(
                "deposit-receipt/<int:entry_id>/",
                self.admin_site.admin_view(self.deposit_receipt_view),
                name="leases_lease_deposit_receipt",
            ),
            path("<path:object_id>/settle/", self.admin_site.admin_view(self.settle_view), name="leases_lease_settle"),
            path(
                "rent-roll/<int:building_id>/",
                self.admin_site.admin_view(self.rent_roll_view),
                name="leases_lease_rent_roll",
            ),
            *super().get_urls(),
        ]

    def _lease_form_view(self, request, object_id, form_class, title, perform, template):
        lease = get_object_or_404(Lease.objects.select_related("tenant"), pk=object_id)
        if not self.has_change_permission(request, lease):
            raise PermissionDenied
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = perform(lease, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return HttpResponseRedirect(reverse("admin:leases_lease_change", args=[result.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": lease,
            "title": title % {"number": lease.number},
            "form": form,
        }
        return TemplateResponse(request, template, context)

    def terminate_view(self, request, object_id):
        def perform(lease, data):
            done = lease_terminate(lease=lease, on=data["terminated_on"], reason=data["termination_reason"])
            self.message_user(request, _("Lease %(number)s terminated.") % {"number": lease.number})
            return done

        return self._lease_form_view(
            request,
            object_id,
            TerminateForm,
            _("Terminate lease %(number)s early"),
            perform,
            "admin/leases/lease/action_form.html",
        )

    def renew_view(self, request, object_id):
        def perform(lease, data):
            renewal = lease_renew(
                lease=lease,
                number=data["number"],
                ends_on=data["ends_on"],
                rent_rate=data["rent_rate"],
                carry_escalations=data["carry_escalations"],
            )
            self.message_user(request, _("Draft renewal %(number)s created.") % {"number": renewal.number})
            return renewal

        return self._lease_form_view(
            request, object_id, RenewForm, _("Renew lease %(number)s"), perform, "admin/leases/lease/action_form.html"
        )

    def amend_view(self, request, object_id):
        def perform(lease, data):
            lease_amend(lease=lease, changed_by=request.user, **data)
            self.message_user(request, _("Lease %(number)s amended.") % {"number": lease.number})
            return lease

        return self._lease_form_view(
            request, object_id, AmendForm, _("Amend lease %(number)s"), perform, "admin/leases/lease/action_form.html"
        )

    def deposit_view(self, request, object_id):
        def perform(lease, data):
            deposit_movement_post(lease=lease.pk, recorded_by=request.user, **data)
            self.message_user(request, _("Deposit of lease %(number)s posted.") % {"number": lease.number})
            return lease

        return self._lease_form_view(
            request,
            object_id,
            DepositForm,
            _("Deposit of lease %(number)s"),
            perform,
            "admin/leases/lease/action_form.html",
        )

    def deposit_receipt_view(self, request, entry_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        entry = get_object_or_404(DepositEntry, pk=entry_id, kind=DepositEntry.Kind.RECEIVED)
        return deposit_receipt_response(entry=entry, language=request.LANGUAGE_CODE, inline=True)

    def settle_view(self, request, object_id):
        """The settlement of an ended lease, computed now; staff confirm it to post it."""
        lease = get_object_or_404(Lease.objects.select_related("tenant"), pk=object_id)
        if not self.has_change_permission(request, lease):
            raise PermissionDenied
        try:
            statement = lease_settlement(lease=lease)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), "error")
            return HttpResponseRedirect(reverse("admin:leases_lease_change", args=[lease.pk]))
        if request.method == "POST":
            try:
                lease_settle(lease=lease, recorded_by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), "error")
            else:
                self.message_user(request, _("Lease %(number)s settled.") % {"number": lease.number})
            return HttpResponseRedirect(reverse("admin:leases_lease_change", args=[lease.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": lease,
            "title": _("Settle lease %(number)s") % {"number": lease.number},
            "statement": statement,
            "settled": LeaseSettlement.objects.filter(lease=lease).first(),
        }
        return TemplateResponse(request, "admin/leases/lease/settle.html", context)

    def rent_roll_view(self, request, building_id):
        """Every unit of a building with its tenant, lease and passing rent, as of any day; CSV and XLSX too."""
        building = get_object_or_404(Building, pk=building_id)
        if not self.has_view_permission(request):
            raise PermissionDenied
        roll = rent_roll(building=building, on=requested_day(request))
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            dataset = rent_roll_dataset(roll)
            content_type = (
                "text/csv; charset=utf-8"
                if export == "csv"
                else ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            )
            response = HttpResponse(dataset.export(export), content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="rent-roll-{building.code}-{roll.on}.{export}"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "opts": Building._meta,
            "original": building,
            "title": _("Rent roll of %(building)s") % {"building": building.name},
            "roll": roll,
        }
        return TemplateResponse(request, "admin/leases/lease/rent_roll.html", context)
