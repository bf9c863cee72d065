"""Talent apartments: the company's residents and applications, applying for a bed, asking a check-out."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apartments.models import ApartmentApplication, BedAllocation
from apartments.selectors import allocation_list_for, application_list_for
from apartments.services import allocation_request_check_out, apartment_apply
from core.forms import add_service_errors

from ..access import tenant_required
from ..forms import ApartmentApplicationForm, CheckOutRequestForm


@tenant_required
@require_http_methods(["GET", "POST"])
def apartments(request):
    """The company's residents and applications (ID numbers and phones masked) and a form to apply."""
    company = request.membership.company
    form = ApartmentApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            apartment_apply(
                application=ApartmentApplication(company=company, applied_by=request.user, **form.cleaned_data)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Application sent. The operations team decides on it; you will be notified."))
            return redirect("portal:apartments")
    today = timezone.localdate()
    residents = (
        allocation_list_for(user=request.user)
        .filter(occupied_until__gt=today)
        .exclude(status=BedAllocation.Status.CANCELLED)
    )
    return render(
        request,
        "portal/apartments.html",
        {
            "form": form,
            "residents": residents,
            "applications": application_list_for(user=request.user),
            "check_out_form": CheckOutRequestForm(),
        },
    )


@tenant_required
@require_POST
def apartment_check_out_request(request, pk: int):
    allocation = get_object_or_404(allocation_list_for(user=request.user), pk=pk)
    form = CheckOutRequestForm(request.POST)
    if form.is_valid():
        try:
            allocation_request_check_out(allocation=allocation, on=form.cleaned_data["on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect("portal:apartments")
