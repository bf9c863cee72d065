"""Reads about companies and partners that cross relations."""

import datetime
from dataclasses import dataclass

from .models import CompanyContact, Milestone, PartnerAgreement, TenantCompany, TenantMembership

MILESTONE_HORIZON_DAYS = 30


@dataclass
class MilestoneDashboard:
    on: datetime.date
    overdue: list[Milestone]
    due_soon: list[Milestone]


def milestone_dashboard(*, on: datetime.date, days: int = MILESTONE_HORIZON_DAYS) -> MilestoneDashboard:
    """Overdue milestones and those due within ``days`` days, with agreement and partner loaded."""
    base = Milestone.objects.select_related("agreement__partner").order_by("due_on", "pk")
    return MilestoneDashboard(
        on=on,
        overdue=list(base.overdue(on=on)),
        due_soon=list(base.due_within(on=on, days=days)),
    )


def tenant_membership(user) -> TenantMembership | None:
    """The user's membership of a tenant company; None for staff, anonymous users and users of none.

    Read once per user object, that is once per request: a portal page scopes half a dozen lists
    to the company."""
    if not user.is_authenticated or user.is_staff:
        return None
    if not hasattr(user, "_tenant_membership"):
        user._tenant_membership = TenantMembership.objects.filter(user=user).select_related("company").first()
    return user._tenant_membership


def scope_to_company(queryset, *, user, company_field: str):
    """Everything for staff; for a tenant user only the rows whose ``company_field`` is their company;
    nothing for anybody else."""
    if user.is_authenticated and user.is_staff:
        return queryset
    membership = tenant_membership(user)
    if membership is None:
        return queryset.none()
    return queryset.filter(**{company_field: membership.company_id})


def company_list_for(*, user):
    return scope_to_company(
        TenantCompany.objects.select_related("primary_cluster").prefetch_related("secondary_clusters"),
        user=user,
        company_field="pk",
    )


def contact_list_for(*, user):
    return scope_to_company(CompanyContact.objects.select_related("company"), user=user, company_field="company")


def agreement_list_for(*, user):
    return scope_to_company(
        PartnerAgreement.objects.select_related("partner").prefetch_related("milestones"),
        user=user,
        company_field="partner",
    )


def company_admins_by_company(company_ids) -> dict[int, list]:
    """Each company's active company admins, for many companies in one query."""
    admins: dict[int, list] = {}
    for membership in TenantMembership.objects.filter(
        company_id__in=set(company_ids), role=TenantMembership.Role.ADMIN, user__is_active=True
    ).select_related("user"):
        admins.setdefault(membership.company_id, []).append(membership.user)
    return admins


def company_recipients(company, *, also=()) -> list:
    """Who at a company hears of what concerns it: its company admins, and ``also`` (the member who
    asked, say)."""
    users = {
        membership.user.pk: membership.user
        for membership in TenantMembership.objects.filter(
            company=company, role=TenantMembership.Role.ADMIN, user__is_active=True
        ).select_related("user")
    }
    users.update({user.pk: user for user in also if user is not None})
    return list(users.values())
