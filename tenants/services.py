"""Writes to clusters, companies, tenant users and members, partner agreements, notices and visitors."""

import datetime
import io
from collections.abc import Iterable

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.db import constraints_as_conflicts
from notifications.events import Event
from notifications.services import notify

from .models import (
    AgreementDocument,
    CompanyContact,
    CompanyYearFigure,
    IndustryCluster,
    Invitation,
    Milestone,
    Notice,
    PartnerAgreement,
    TenantCompany,
    TenantMembership,
    Visitor,
)
from .selectors import company_recipients

# Visitors are registered from now up to this many days ahead.
VISITOR_HORIZON_DAYS = 365


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
    with constraints_as_conflicts():  # two submissions of one year at once: the second is told so
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
    for milestone in flagged:
        notify(
            event=Event.MILESTONE_DUE,
            context={"milestone": milestone},
            link=reverse("admin:tenants_milestone_dashboard"),
        )
    return flagged


def _send_after_commit(message: EmailMessage) -> None:
    transaction.on_commit(lambda: message.send(fail_silently=False))


@transaction.atomic
def notice_save(*, notice: Notice) -> Notice:
    notice.full_clean()
    notice.save()
    return notice


@transaction.atomic
def invitation_send(*, company: TenantCompany, email: str, role: str, invited_by) -> Invitation:
    """Invite a colleague: the email carries a link where they choose their login."""
    email = email.strip().lower()
    if get_user_model().objects.filter(email__iexact=email, tenant_membership__company=company).exists():
        raise ValidationError({"email": _("This person is already a member of your company.")})
    invitation = Invitation(company=company, email=email, role=role, invited_by=invited_by)
    invitation.full_clean()
    invitation.save()
    link = settings.PARKOPS_BASE_URL.rstrip("/") + reverse("portal:invitation", args=[invitation.token])
    notify(
        event=Event.INVITATION_SENT,
        context={"invitation": invitation},
        users=[user for user in company_recipients(company) if user != invited_by],
        link=reverse("portal:members"),
        staff=False,
    )
    _send_after_commit(
        EmailMessage(
            _("%(company)s invites you to the ParkOps tenant portal") % {"company": company.display_name},
            _("Choose your login here: %(link)s") % {"link": link},
            None,
            [email],
        )
    )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str):
    """Create the invited person's login and membership; an invitation works once."""
    invitation = Invitation.objects.select_for_update().filter(token=token, accepted_at__isnull=True).first()
    if invitation is None:
        raise ValidationError({"token": _("This invitation has expired or was already used.")})
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken; choose another.")})
    user = user_model(username=username, email=invitation.email)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    membership_save(membership=TenantMembership(user=user, company=invitation.company, role=invitation.role))
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user


@transaction.atomic
def member_remove(*, membership: TenantMembership, by) -> None:
    """A company admin removes a colleague: the membership goes and the login is disabled."""
    if membership.user_id == by.pk:
        raise ValidationError({"user": _("You cannot remove yourself.")})
    user = membership.user
    membership.delete()
    user.is_active = False
    user.save(update_fields=["is_active"])


@transaction.atomic
def company_headcount_save(*, company: TenantCompany, headcount: int) -> TenantCompany:
    company.headcount = headcount
    return company_save(company=company)


@transaction.atomic
def year_figure_submit(*, figure: CompanyYearFigure) -> CompanyYearFigure:
    """A company's own figures wait for staff review before the cluster report counts them."""
    existing = CompanyYearFigure.objects.filter(company=figure.company, year=figure.year).first()
    if existing and existing.status == CompanyYearFigure.Status.ACCEPTED:
        raise ValidationError(
            {
                "year": _("The figures for %(year)d are already accepted; ask the operator to change them.")
                % {"year": figure.year}
            }
        )
    if existing:
        figure.pk = existing.pk
    figure.status = CompanyYearFigure.Status.SUBMITTED
    return year_figure_save(figure=figure)


def visitor_pass_png(*, visitor: Visitor) -> bytes:
    buffer = io.BytesIO()
    segno.make(f"PARKOPS-VISITOR:{visitor.pass_code}", error="m").save(buffer, kind="png", scale=8)
    return buffer.getvalue()


@transaction.atomic
def visitor_register(*, visitor: Visitor) -> Visitor:
    """Pre-register a visitor for a visit that has not ended and starts within a year; they get
    their QR pass by email."""
    visitor.full_clean()
    now = timezone.now()
    if visitor.expected_until <= now or visitor.expected_from > now + datetime.timedelta(days=VISITOR_HORIZON_DAYS):
        raise ValidationError(
            {
                "expected_from": _("A visit is registered from now up to %(days)d days ahead.")
                % {"days": VISITOR_HORIZON_DAYS}
            }
        )
    visitor.save()
    local = timezone.localtime(visitor.expected_from)
    message = EmailMessage(
        _("Your visitor pass for %(company)s") % {"company": visitor.company.display_name},
        _(
            "%(name)s, show this pass at the front desk of the Lingnan Digital Creative Building on %(when)s. "
            "Host: %(host)s."
        )
        % {"name": visitor.name, "when": local.strftime("%Y-%m-%d %H:%M"), "host": visitor.host},
        None,
        [visitor.email],
    )
    message.attach(f"pass-{visitor.pass_code}.png", visitor_pass_png(visitor=visitor), "image/png")
    _send_after_commit(message)
    return visitor


@transaction.atomic
def visitor_check_in(*, visitor: Visitor) -> Visitor:
    visitor = Visitor.objects.select_for_update().get(pk=visitor.pk)
    if visitor.checked_in_at is None:
        visitor.checked_in_at = timezone.now()
        visitor.save(update_fields=["checked_in_at"])
        notify(
            event=Event.VISITOR_ARRIVED,
            context={"visitor": visitor},
            users=company_recipients(visitor.company, also=[visitor.registered_by]),
            link=reverse("portal:visitors"),
            staff=False,
        )
    return visitor


@transaction.atomic
def visitor_check_out(*, visitor: Visitor) -> Visitor:
    visitor = Visitor.objects.select_for_update().get(pk=visitor.pk)
    if visitor.checked_in_at is None:
        raise ValidationError({"checked_out_at": _("A visitor checks in before checking out.")})
    if visitor.checked_out_at is None:
        visitor.checked_out_at = timezone.now()
        visitor.save(update_fields=["checked_out_at"])
    return visitor
