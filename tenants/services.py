"""Writes to clusters, companies, tenant users and partner agreements."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from .models import (
    AgreementDocument,
    CompanyContact,
    CompanyYearFigure,
    IndustryCluster,
    Milestone,
    PartnerAgreement,
    TenantCompany,
    TenantMembership,
)


def normalise_credit_code(raw: str) -> str:
    """Codes are typed with spaces, dashes and lower case; stored as 18 capitals."""
    return "".join(raw.split()).replace("-", "").upper()


@transaction.atomic
def cluster_save(*, cluster: IndustryCluster) -> IndustryCluster:
    cluster.full_clean()
    cluster.save()
    return cluster


@transaction.atomic
def company_save(
    *, company: TenantCompany, secondary_clusters: Iterable[IndustryCluster] | None = None
) -> TenantCompany:
    company.credit_code = normalise_credit_code(company.credit_code)
    company.full_clean()
    company.save()
    if secondary_clusters is not None:
        company.secondary_clusters.set([c for c in secondary_clusters if c.pk != company.primary_cluster_id])
    return company


@transaction.atomic
def contact_save(*, contact: CompanyContact) -> CompanyContact:
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def year_figure_save(*, figure: CompanyYearFigure) -> CompanyYearFigure:
    figure.full_clean()
    figure.save()
    return figure


def membership_check(*, user: AbstractUser) -> None:
    if user.is_staff or user.is_superuser:
        raise ValidationError({"user": _("Staff users cannot be tenant users.")})


@transaction.atomic
def membership_save(*, membership: TenantMembership) -> TenantMembership:
    """Make a user a tenant user of a company; a user belongs to at most one company."""
    membership_check(user=membership.user)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def agreement_save(*, agreement: PartnerAgreement) -> PartnerAgreement:
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def agreement_document_save(*, document: AgreementDocument) -> AgreementDocument:
    """Store a document of an agreement; only PDFs within the size limit pass ``full_clean``."""
    document.full_clean()
    document.size = document.file.size
    document.save()
    return document


@transaction.atomic
def milestone_save(*, milestone: Milestone) -> Milestone:
    if milestone.status != Milestone.Status.DONE:
        milestone.completed_on = None
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestones_flag_overdue(*, on: datetime.date) -> list[Milestone]:
    """Flag milestones found overdue on ``on`` for the first time and tell the operations group."""
    flagged = list(
        Milestone.objects.overdue(on=on)
        .filter(overdue_flagged_on__isnull=True)
        .select_for_update(of=("self",))
        .select_related("agreement__partner")
    )
    Milestone.objects.filter(pk__in=[milestone.pk for milestone in flagged]).update(overdue_flagged_on=on)
    if flagged and settings.OPERATIONS_EMAILS:
        lines = [
            f"- {m.agreement.partner.display_name} · {m.agreement.title}: {m.description} "
            f"({_('due')} {m.due_on.isoformat()}, {m.owner})"
            for m in flagged
        ]
        subject = _("%(count)d partner milestones are overdue") % {"count": len(flagged)}
        transaction.on_commit(
            lambda: send_mail(subject, "\n".join(lines), None, settings.OPERATIONS_EMAILS, fail_silently=False)
        )
    return flagged
