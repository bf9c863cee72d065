"""Service requests (报修 / 服务): filing with photos, following, commenting, rating."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import add_service_errors
from core.held_uploads import held_names, uploads_hold, uploads_release, uploads_take
from servicedesk.selectors import service_request_list_for
from servicedesk.services import service_request_comment, service_request_file, service_request_rate
from spaces.models import Unit

from ..access import tenant_required
from ..forms import CommentForm, RatingForm, ServiceRequestForm


@tenant_required
def service_request_list(request):
    return render(
        request, "portal/service_request_list.html", {"requests": service_request_list_for(user=request.user)}
    )


@tenant_required
@require_http_methods(["GET", "POST"])
def service_request_new(request):
    """File a request. Photos chosen on a try that failed for another reason are kept (held) and
    sent with the next try, so nobody picks them again."""
    company = request.membership.company
    form = ServiceRequestForm(
        request.POST or None,
        request.FILES or None,
        units=Unit.objects.held_by(company_id=company.pk, on=timezone.localdate())
        .select_related("building", "floor")
        .order_by("code"),
    )
    held = held_names(request.POST.get("held_photos", ""), user=request.user) if request.method == "POST" else []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filed = service_request_file(
                company=company,
                unit=data["unit"],
                category=data["category"],
                priority=data["priority"],
                description=data["description"],
                photos=[*data["photos"], *uploads_take(held)],
                requested_by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            uploads_release(held)
            messages.success(
                request,
                _("Request #%(number)d filed. The operations team answers here, and you will be notified.")
                % {"number": filed.pk},
            )
            return redirect("portal:service_request", filed.pk)
    elif request.method == "POST" and form.cleaned_data.get("photos"):
        try:
            held += uploads_hold(form.cleaned_data["photos"], user=request.user)
        except ValidationError as error:
            form.add_error("photos", error)
    return render(request, "portal/service_request_form.html", {"form": form, "held": held})


@tenant_required
@require_http_methods(["GET", "POST"])
def service_request_detail(request, pk: int):
    filed = get_object_or_404(service_request_list_for(user=request.user).prefetch_related("photos", "comments"), pk=pk)
    comment_form, rating_form = CommentForm(), RatingForm()
    if request.method == "POST" and "body" in request.POST:
        comment_form = CommentForm(request.POST)
        if comment_form.is_valid():
            service_request_comment(
                request=filed, author=request.user, body=comment_form.cleaned_data["body"], from_staff=False
            )
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
    return render(
        request,
        "portal/service_request_detail.html",
        {"filed": filed, "comment_form": comment_form, "rating_form": rating_form},
    )
