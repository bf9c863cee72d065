"""Tenant portal pages for bills, service requests and talent apartments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from parkops.admin import add_service_errors
from parkops.portal import tenant_required

from .documents import bill_pdf
from .forms import ApartmentApplicationForm, CheckOutRequestForm, CommentForm, RatingForm, ServiceRequestForm
from .models import ApartmentApplication, BedAllocation
from .selectors import (
    allocation_list_for,
    application_list_for,
    bill_for_pdf,
    bill_list_for,
    payment_list_for,
    service_request_list_for,
    units_of_company,
)
from .services import (
    allocation_request_check_out,
    apartment_apply,
    service_request_comment,
    service_request_file,
    service_request_rate,
)


@tenant_required
def bill_list(request):
    bills = bill_list_for(user=request.user).order_by("-due_on", "-pk")
    return render(request, "portal/bill_list.html", {"bills": bills,
                                                     "payments": payment_list_for(user=request.user)[:20]})


@tenant_required
def bill_detail(request, pk: int):
    bill = get_object_or_404(bill_list_for(user=request.user).prefetch_related("allocations__payment"), pk=pk)
    return render(request, "portal/bill_detail.html", {"bill": bill})


@tenant_required
def bill_download(request, pk: int):
    bill = get_object_or_404(bill_list_for(user=request.user), pk=pk)
    response = HttpResponse(bill_pdf(bill=bill_for_pdf(bill_id=bill.pk), language=request.LANGUAGE_CODE),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{bill.number}.pdf"'
    return response


@tenant_required
def service_request_list(request):
    return render(request, "portal/service_request_list.html",
                  {"requests": service_request_list_for(user=request.user)})


@tenant_required
@require_http_methods(["GET", "POST"])
def service_request_new(request):
    company = request.membership.company
    form = ServiceRequestForm(request.POST or None, request.FILES or None, units=units_of_company(company=company))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = service_request_file(company=company, unit=data["unit"], category=data["category"],
                                         priority=data["priority"], description=data["description"],
                                         photos=data["photos"], requested_by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("portal:service_request", filed.pk)
    return render(request, "portal/service_request_form.html", {"form": form})


@tenant_required
@require_http_methods(["GET", "POST"])
def service_request_detail(request, pk: int):
    filed = get_object_or_404(service_request_list_for(user=request.user).prefetch_related("photos", "comments"), pk=pk)
    comment_form, rating_form = CommentForm(), RatingForm()
    if request.method == "POST" and "body" in request.POST:
        comment_form = CommentForm(request.POST)
        if comment_form.is_valid():
            service_request_comment(request=filed, author=request.user, body=comment_form.cleaned_data["body"],
                                    from_staff=False)
            return redirect("portal:service_request", filed.pk)
    elif request.method == "POST":
        rating_form = RatingForm(request.POST)
        if rating_form.is_valid():
            try:
                service_request_rate(request=filed, rating=rating_form.cleaned_data["rating"])
            except ValidationError as error:
                add_service_errors(rating_form, error)
            else:
                return redirect("portal:service_request", filed.pk)
    return render(request, "portal/service_request_detail.html",
                  {"filed": filed, "comment_form": comment_form, "rating_form": rating_form})


@tenant_required
@require_http_methods(["GET", "POST"])
def apartments(request):
    """The company's residents and applications (ID numbers and phones masked) and a form to apply."""
    company = request.membership.company
    form = ApartmentApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            apartment_apply(application=ApartmentApplication(company=company, applied_by=request.user,
                                                             **form.cleaned_data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("portal:apartments")
    today = timezone.localdate()
    residents = allocation_list_for(user=request.user).filter(occupied_until__gt=today).exclude(
        status=BedAllocation.Status.CANCELLED)
    return render(request, "portal/apartments.html", {
        "form": form, "residents": residents, "applications": application_list_for(user=request.user),
        "check_out_form": CheckOutRequestForm(),
    })


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
