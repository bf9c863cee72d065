"""Meters in the admin: the meters, a reading round per building, readings to check, imports,
tariffs and the monthly runs."""

import datetime
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import LongListMixin, ReadOnlyInline, WrittenByServicesMixin, service_form_view
from core.forms import add_service_errors
from spaces.models import Building

from .models import (
    Band,
    ChargeDispute,
    Kind,
    Meter,
    MeterReading,
    MeterShare,
    Tariff,
    TariffHours,
    TariffPrice,
    UtilityCharge,
    UtilityRun,
)
from .services import (
    dispute_answer,
    meter_replace,
    reading_estimate,
    reading_record,
    reading_review,
    readings_import,
    run_calculate,
    run_post,
    run_review,
    tariff_hours_check,
)


class ReadingInline(ReadOnlyInline):
    model = MeterReading
    fields = ["read_on", "band", "value", "rolled_over", "consumption", "is_estimate", "flag", "flag_note"]
    ordering = ["-read_on"]


class MeterShareInline(admin.TabularInline):
    """The fixed shares of a meter shared out by fixed shares."""

    model = MeterShare
    extra = 1
    raw_id_fields = ["company"]


class ReplaceForm(forms.Form):
    on = forms.DateField(label=_("replaced on"))
    closing_value = forms.DecimalField(label=_("old meter's last reading"), max_digits=16, decimal_places=3)
    serial = forms.CharField(label=_("new meter's serial number"), max_length=40)
    opening_value = forms.DecimalField(label=_("new meter's first reading"), max_digits=16, decimal_places=3)
    multiplier = forms.DecimalField(label=_("new multiplier (empty: the same)"), required=False, max_digits=8)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("readings file (CSV or XLSX: 表号, 抄表日期, 时段, 读数, 翻转)"))


class RoundChoiceForm(forms.Form):
    building = forms.ModelChoiceField(label=_("building"), queryset=Building.objects.all())
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices)
    read_on = forms.DateField(label=_("read on"))


@admin.register(Meter)
class MeterAdmin(SimpleHistoryAdmin):
    list_display = [
        "serial",
        "kind",
        "building",
        "unit",
        "shared_area",
        "parent",
        "multiplier",
        "allocation",
        "installed_on",
        "removed_on",
    ]
    list_filter = ["kind", "building", "time_of_use", "allocation"]
    list_select_related = ["building", "unit", "parent"]
    search_fields = ["serial", "unit__code", "shared_area"]
    inlines = [MeterShareInline, ReadingInline]
    raw_id_fields = ["unit", "floor", "parent", "replaces"]

    def get_urls(self):
        return [
            path("round/", self.admin_site.admin_view(self.round_view), name="meters_meter_round"),
            path("import/", self.admin_site.admin_view(self.import_view), name="meters_meter_import"),
            path(
                "<path:object_id>/replace/", self.admin_site.admin_view(self.replace_view), name="meters_meter_replace"
            ),
            *super().get_urls(),
        ]

    def _render(self, request, title, form, **extra):
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, "form": form}
        return TemplateResponse(request, "admin/meters/form.html", {**context, **extra})

    def replace_view(self, request, object_id):
        meter = get_object_or_404(Meter, pk=object_id)
        if not self.has_change_permission(request, meter):
            raise PermissionDenied
        form = ReplaceForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            band = Band.TOTAL
            try:
                new = meter_replace(
                    meter=meter,
                    on=data["on"],
                    closing_values={band: data["closing_value"]},
                    serial=data["serial"],
                    opening_values={band: data["opening_value"]},
                    multiplier=data["multiplier"],
                    recorded_by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(request, _("Meter %(old)s replaced by %(new)s.") % {"old": meter, "new": new})
                return HttpResponseRedirect(reverse("admin:meters_meter_change", args=[new.pk]))
        return self._render(request, _("Replace meter %(meter)s") % {"meter": meter}, form, original=meter)

    def import_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        return service_form_view(
            self,
            request,
            form=ImportForm(request.POST or None, request.FILES or None),
            title=_("Import meter readings"),
            perform=lambda data: readings_import(content=data["file"].read(), recorded_by=request.user),
            done=lambda imported: (
                _("%(count)d readings imported, %(flagged)d flagged for review.")
                % {"count": len(imported), "flagged": sum(1 for reading in imported if reading.flag)}
            ),
            next_url=reverse("admin:meters_meterreading_changelist"),
            template="admin/meters/form.html",
        )

    def round_view(self, request):
        """A reading round: every meter of a building and kind in service on the day, with its last
        reading beside the box for the new one; all saved together or none."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        choice = RoundChoiceForm(request.GET or None, initial={"read_on": timezone.localdate()})
        if not choice.is_valid():
            return self._render(request, _("Reading round"), choice, method="get")
        building, kind, read_on = (choice.cleaned_data[name] for name in ("building", "kind", "read_on"))
        meters = list(
            Meter.objects.filter(building=building, kind=kind, installed_on__lte=read_on)
            .exclude(removed_on__lt=read_on)
            .select_related("unit")
            .order_by("serial")
        )
        last = {}
        for reading in MeterReading.objects.filter(meter__in=meters).order_by("meter_id", "band", "read_on"):
            last[(reading.meter_id, reading.band)] = reading
        boxes = [
            (meter, band, last.get((meter.pk, band)))
            for meter in meters
            for band in ([Band.PEAK, Band.FLAT, Band.VALLEY] if meter.time_of_use else [Band.TOTAL])
        ]
        errors = []
        if request.method == "POST":
            try:
                with transaction.atomic():
                    count = self._round_save(request, boxes, read_on, errors)
                    if errors:
                        raise ValidationError(errors)
            except ValidationError:
                pass
            else:
                self.message_user(request, _("%(count)d readings saved.") % {"count": count})
                return HttpResponseRedirect(request.get_full_path())
        return self._render(
            request,
            _("Reading round: %(building)s, %(kind)s, %(day)s")
            % {"building": building, "kind": Kind(kind).label, "day": read_on.isoformat()},
            choice,
            method="get",
            boxes=boxes,
            errors=errors,
            posted=request.POST,
        )

    def _round_save(self, request, boxes, read_on: datetime.date, errors: list) -> int:
        count = 0
        for meter, band, _last in boxes:
            raw = request.POST.get(f"value-{meter.pk}-{band}", "").strip()
            if not raw:
                continue
            try:
                value = Decimal(raw)
                if request.POST.get(f"estimate-{meter.pk}-{band}"):
                    reading_estimate(meter=meter, read_on=read_on, band=band, recorded_by=request.user)
                else:
                    reading_record(
                        meter=meter,
                        read_on=read_on,
                        band=band,
                        value=value,
                        rolled_over=bool(request.POST.get(f"rolled-{meter.pk}-{band}")),
                        photo=request.FILES.get(f"photo-{meter.pk}-{band}"),
                        recorded_by=request.user,
                    )
                count += 1
            except ArithmeticError:
                errors.append(f"{meter.serial}: " + str(_("not a number")))
            except ValidationError as error:
                errors.append(f"{meter.serial} {Band(band).label}: {' '.join(error.messages)}")
        return count


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("what the check found"), max_length=300)


@admin.register(MeterReading)
class MeterReadingAdmin(WrittenByServicesMixin, LongListMixin, SimpleHistoryAdmin):
    list_display = [
        "meter",
        "read_on",
        "band",
        "value",
        "consumption",
        "is_estimate",
        "flag",
        "flag_note",
        "recorded_by",
    ]
    list_filter = ["flag", "is_estimate", "band", "meter__kind", "read_on"]
    list_select_related = ["meter", "recorded_by"]
    search_fields = ["meter__serial"]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="meters_meterreading_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        reading = get_object_or_404(MeterReading, pk=object_id)
        if not self.has_change_permission(request, reading):
            raise PermissionDenied
        return service_form_view(
            self,
            request,
            form=ReviewForm(request.POST or None),
            title=_("Check the reading %(reading)s") % {"reading": reading},
            perform=lambda data: reading_review(reading=reading, note=data["note"]),
            done=_("Reading checked: it bills."),
            next_url=reverse("admin:meters_meterreading_changelist") + "?flag__exact=spike",
            template="admin/meters/form.html",
            original=reading,
        )


class TariffPriceInline(admin.TabularInline):
    model = TariffPrice
    extra = 1


class TariffHoursFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.method != Tariff.Method.TIME_OF_USE or any(self.errors):
            return
        spans = [
            (form.cleaned_data["band"], form.cleaned_data["starts_at"], form.cleaned_data["ends_at"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if spans:
            tariff_hours_check(spans)


class TariffHoursInline(admin.TabularInline):
    """When each band applies (峰 10:00–12:00 and 14:00–19:00, say): printed on every charge."""

    model = TariffHours
    formset = TariffHoursFormSet
    extra = 1


@admin.register(Tariff)
class TariffAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "effective_from", "method", "loss_factor", "surcharge"]
    list_filter = ["kind", "method"]
    inlines = [TariffPriceInline, TariffHoursInline]


class ChargeInline(ReadOnlyInline):
    model = UtilityCharge
    fields = ["company", "meter", "kind", "source", "consumption", "amount", "bill"]


@admin.register(UtilityRun)
class UtilityRunAdmin(admin.ModelAdmin):
    """A building's period: calculate, review (checked readings only), post (once)."""

    list_display = ["building", "period_start", "period_end", "status", "calculated_at", "posted_at"]
    list_filter = ["status", "building"]
    inlines = [ChargeInline]
    actions = ["calculate", "review", "post"]

    def get_readonly_fields(self, request, obj=None):
        return ["status", "calculated_at", "posted_at", "posted_by"] + (
            ["building", "period_start", "period_end"] if obj else []
        )

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None and obj.status != UtilityRun.Status.POSTED and super().has_delete_permission(request, obj)
        )

    def _each(self, request, queryset, service, done):
        for run in queryset:
            try:
                service(run)
            except ValidationError as error:
                self.message_user(request, f"{run}: {' '.join(error.messages)}", level="error")
            else:
                self.message_user(request, done % {"run": run})

    @admin.action(description=_("Calculate the selected runs"), permissions=["change"])
    def calculate(self, request, queryset):
        self._each(request, queryset, lambda run: run_calculate(run=run), _("%(run)s calculated."))

    @admin.action(description=_("Mark the selected runs reviewed"), permissions=["change"])
    def review(self, request, queryset):
        self._each(request, queryset, lambda run: run_review(run=run), _("%(run)s reviewed."))

    @admin.action(description=_("Post the selected runs to the tenants' bills"), permissions=["change"])
    def post(self, request, queryset):
        self._each(request, queryset, lambda run: run_post(run=run, posted_by=request.user), _("%(run)s posted."))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 3}))
    corrected_amount = forms.DecimalField(
        label=_("correct the charge to (CNY; empty: it stands)"), required=False, max_digits=14, decimal_places=2
    )
    red_letter_confirmation = forms.CharField(
        label=_("red-letter confirmation number (if the bill's fapiao is issued)"), max_length=30, required=False
    )


@admin.register(ChargeDispute)
class ChargeDisputeAdmin(WrittenByServicesMixin, admin.ModelAdmin):
    list_display = ["charge", "company", "raised_at", "status", "corrected_amount"]
    list_filter = ["status"]
    list_select_related = ["charge__meter", "charge__company", "company"]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/answer/",
                self.admin_site.admin_view(self.answer_view),
                name="meters_chargedispute_answer",
            ),
            *super().get_urls(),
        ]

    def answer_view(self, request, object_id):
        dispute = get_object_or_404(ChargeDispute, pk=object_id)
        if not self.has_change_permission(request, dispute):
            raise PermissionDenied
        return service_form_view(
            self,
            request,
            form=AnswerForm(request.POST or None),
            title=_("Answer the dispute of %(charge)s") % {"charge": dispute.charge},
            perform=lambda data: dispute_answer(dispute=dispute, answered_by=request.user, **data),
            done=_("Dispute answered."),
            next_url=reverse("admin:meters_chargedispute_changelist"),
            template="admin/meters/form.html",
            original=dispute,
        )
