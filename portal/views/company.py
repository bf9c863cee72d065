"""The company's own pages: profile, invoicing details, members and invitations, visitors."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from billing.services import invoicing_profile_for, invoicing_profile_save
from core.forms import add_service_errors
from filings.selectors import company_history_table
from tenants.models import CompanyContact, Invitation, TenantMembership, Visitor
from tenants.services import (
    company_headcount_save,
    contact_save,
    invitation_accept,
    invitation_send,
    member_remove,
    visitor_pass_png,
    visitor_register,
    year_figure_submit,
)

from ..access import tenant_required
from ..forms import (
    AcceptInvitationForm,
    ContactForm,
    HeadcountForm,
    InvitationForm,
    InvoicingProfileForm,
    VisitorForm,
    YearFigureForm,
)


def _company_admin(request):
    if request.membership.role != TenantMembership.Role.ADMIN:
        raise PermissionDenied


@tenant_required
@require_http_methods(["GET", "POST"])
def profile(request):
    company = request.membership.company
    forms = {
        "headcount": HeadcountForm(initial={"headcount": company.headcount}),
        "contact": ContactForm(),
        "figure": YearFigureForm(),
    }
    if request.method == "POST":
        kind = request.POST.get("form")
        if kind not in forms:
            return redirect("portal:profile")
        _company_admin(request)
        form = {"headcount": HeadcountForm, "contact": ContactForm, "figure": YearFigureForm}[kind](request.POST)
        forms[kind] = form
        if form.is_valid():
            try:
                if kind == "headcount":
                    company_headcount_save(company=company, headcount=form.cleaned_data["headcount"])
                elif kind == "contact":
                    contact = form.save(commit=False)
                    contact.company = company
                    contact_save(contact=contact)
                else:
                    figure = form.save(commit=False)
                    figure.company = company
                    year_figure_submit(figure=figure)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("portal:profile")
    return render(
        request,
        "portal/profile.html",
        {
            "company": company,
            "forms": forms,
            "contacts": CompanyContact.objects.filter(company=company),
            "figures": company.year_figures.order_by("-year"),
            "statistics": company_history_table(company=company),
        },
    )


@tenant_required
@require_http_methods(["GET", "POST"])
def members(request):
    company = request.membership.company
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        _company_admin(request)
        if form.is_valid():
            try:
                invitation_send(
                    company=company,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    invited_by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s: the link in it lets them choose a login.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("portal:members")
    return render(
        request,
        "portal/members.html",
        {
            "form": form,
            "memberships": TenantMembership.objects.filter(company=company).select_related("user"),
            "invitations": Invitation.objects.filter(company=company, accepted_at__isnull=True),
        },
    )


@tenant_required
@require_POST
def member_remove_view(request, pk: int):
    _company_admin(request)
    membership = get_object_or_404(TenantMembership.objects.filter(company=request.membership.company), pk=pk)
    try:
        member_remove(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("portal:members")


@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    pending = get_object_or_404(Invitation.objects.select_related("company"), token=token, accepted_at__isnull=True)
    form = AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend="core.auth.EmailOrUsernameBackend")
            return redirect("portal:dashboard")
    return render(request, "portal/invitation.html", {"invitation": pending, "form": form})


@tenant_required
@require_http_methods(["GET", "POST"])
def visitors(request):
    company = request.membership.company
    form = VisitorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        starts, ends = form.window()
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("day", "arrives", "leaves")}
        try:
            visitor_register(
                visitor=Visitor(
                    company=company, expected_from=starts, expected_until=ends, registered_by=request.user, **data
                )
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is registered; the QR pass is on its way by email and shown below.")
                % {"name": data["name"]},
            )
            return redirect("portal:visitors")
    return render(
        request,
        "portal/visitors.html",
        {
            "form": form,
            "visitors": Visitor.objects.filter(company=company).order_by("-expected_from")[:100],
        },
    )


@tenant_required
def visitor_pass(request, pk):
    """A visitor's QR pass, to show or forward from the portal (the same pass the email carries)."""
    visitor = get_object_or_404(Visitor, pk=pk, company=request.membership.company)
    return HttpResponse(visitor_pass_png(visitor=visitor), content_type="image/png")


@tenant_required
@require_http_methods(["GET", "POST"])
def invoicing(request):
    """The company's invoicing profile (开票信息): everyone reads it, its admins change it."""
    company = request.membership.company
    profile = invoicing_profile_for(company=company)
    form = InvoicingProfileForm(instance=profile)
    if request.method == "POST":
        _company_admin(request)
        form = InvoicingProfileForm(request.POST, instance=invoicing_profile_for(company=company))
        if form.is_valid():
            try:
                invoicing_profile_save(company=company, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("portal:invoicing")
    can_edit = request.membership.role == TenantMembership.Role.ADMIN
    return render(request, "portal/invoicing.html", {"form": form, "can_edit": can_edit, "saved": profile.pk})
