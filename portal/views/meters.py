"""The company's meters with their consumption by month, its utility charges explained line by line,
and disputes of a charge."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.uploads import validate_image_upload
from meters.charts import consumption_chart
from meters.models import MeterReading
from meters.selectors import charge_list_for, meter_list_for, monthly_consumption
from meters.services import dispute_raise

from ..access import tenant_required


class DisputeForm(forms.Form):
    message = forms.CharField(label=gettext_lazy("what looks wrong"), widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(
        label=gettext_lazy("photo of the meter (optional)"), required=False, validators=[validate_image_upload]
    )


@tenant_required
def meter_list(request):
    meters = list(meter_list_for(company=request.membership.company))
    used = monthly_consumption(meters=meters)
    readings = {}
    for reading in MeterReading.objects.filter(meter__in=meters).order_by("meter_id", "-read_on", "band"):
        readings.setdefault(reading.meter_id, []).append(reading)
    rows = [
        {
            "meter": meter,
            # pygal writes the SVG itself from numbers and our labels: nothing a user typed is in it.
            "chart": mark_safe(consumption_chart(used.get(meter.pk, []), unit=meter.measure)),  # noqa: S308
            "readings": readings.get(meter.pk, [])[:12],
        }
        for meter in meters
    ]
    return render(request, "portal/meters.html", {"rows": rows})


@tenant_required
def charge_list(request):
    charges = charge_list_for(user=request.user).prefetch_related("disputes").order_by("-run__period_end", "kind", "pk")
    return render(request, "portal/utility_charges.html", {"charges": charges[:100], "form": DisputeForm()})


@tenant_required
@require_POST
def charge_dispute(request, pk: int):
    charge = get_object_or_404(charge_list_for(user=request.user), pk=pk)
    form = DisputeForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("portal:utility_charges")
    try:
        dispute_raise(
            charge=charge,
            message=form.cleaned_data["message"],
            photo=form.cleaned_data["photo"],
            raised_by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your question is with the operations team; the answer will show here."))
    return redirect("portal:utility_charges")
