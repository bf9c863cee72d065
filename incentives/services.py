"""Granting incentives and keeping them honest: eligibility on reported figures, cluster and lease;
a rent reduction credited on the company's bills through the billing services (a credit note line,
never an edited bill); a condition that accepted figures no longer meet flagged for staff."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apartments.models import ApartmentQuota
from billing.models import Bill, BillLine
from billing.services import bill_credit
from core.dates import add_months
from filings.models import Filing, FilingValue, ReportingPeriod
from leases.models import Lease
from notifications.events import Event
from notifications.services import notify
from tenants.models import TenantCompany

from .models import GrantCredit, IncentiveGrant, IncentivePolicy

HEADCOUNT_CODE = "employees"  # the indicator a headcount quota reads, when the company reported it
FEN = Decimal("0.01")


@dataclass
class Eligibility:
    reasons: list[str] = field(default_factory=list)  # why not, empty when eligible
    basis: dict = field(default_factory=dict)  # the figures considered, kept on a grant

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _quarters_before(on: datetime.date, count: int) -> list[ReportingPeriod]:
    """The last ``count`` quarterly periods that ended by ``on``, newest first."""
    periods = ReportingPeriod.objects.filter(kind=ReportingPeriod.Kind.QUARTER, starts_on__lte=on).order_by(
        "-starts_on"
    )
    return [period for period in periods[: count + 1] if period.ends_on <= on][:count]


def _accepted(company: TenantCompany, code: str, periods: list[ReportingPeriod]) -> dict[int, Decimal | None]:
    return dict(
        FilingValue.objects.filter(
            filing__company=company,
            filing__status=Filing.Status.ACCEPTED,
            filing__period__in=periods,
            indicator__code=code,
        ).values_list("filing__period", "value")
    )


def _headcount(company: TenantCompany, on: datetime.date) -> tuple[int | None, str]:
    latest = (
        FilingValue.objects.filter(
            filing__company=company,
            filing__status=Filing.Status.ACCEPTED,
            indicator__code=HEADCOUNT_CODE,
            filing__period__starts_on__lte=on,
            value__isnull=False,
        )
        .select_related("filing__period")
        .order_by("-filing__period__starts_on")
        .first()
    )
    if latest is not None:
        return int(latest.value), latest.filing.period.label
    return company.headcount, "profile"


def eligibility(*, policy: IncentivePolicy, company: TenantCompany, on: datetime.date) -> Eligibility:
    """Whether ``company`` meets ``policy`` on ``on``, with the figures considered."""
    result = Eligibility(basis={"on": on.isoformat(), "cluster": getattr(company.primary_cluster, "code", None)})
    clusters = list(policy.clusters.all())
    if clusters and company.primary_cluster_id not in {cluster.pk for cluster in clusters}:
        result.reasons.append(
            _("Its industry cluster is not one the policy covers (%(clusters)s).")
            % {"clusters": "、".join(cluster.name for cluster in clusters)}
        )
    if policy.requires_lease:
        leases = list(Lease.objects.in_force(on=on).filter(tenant=company).values_list("number", flat=True))
        result.basis["leases"] = leases
        if not leases:
            result.reasons.append(_("It has no lease in force on %(day)s.") % {"day": on.isoformat()})
    if policy.indicator_code:
        quarters = _quarters_before(on, policy.quarters_counted)
        values = _accepted(company, policy.indicator_code, quarters)
        counted = [values.get(period.pk) for period in quarters]
        result.basis["indicator"] = policy.indicator_code
        result.basis["figures"] = {
            period.label: None if values.get(period.pk) is None else str(values[period.pk]) for period in quarters
        }
        filed = [value for value in counted if value is not None]
        total = sum(filed, Decimal("0"))
        result.basis["total"] = str(total)
        if len(filed) < policy.quarters_counted:
            result.reasons.append(
                _("Only %(filed)d of the last %(count)d quarters' %(indicator)s figures are reported and accepted.")
                % {"filed": len(filed), "count": policy.quarters_counted, "indicator": policy.indicator_code}
            )
        elif policy.threshold is not None and total < policy.threshold:
            result.reasons.append(
                _("Its %(indicator)s over the last %(count)d quarters is %(total)s, below the %(threshold)s required.")
                % {
                    "indicator": policy.indicator_code,
                    "count": policy.quarters_counted,
                    "total": f"{total:,.2f}",
                    "threshold": f"{policy.threshold:,.2f}",
                }
            )
    if policy.kind == IncentivePolicy.Kind.APARTMENT_QUOTA:
        headcount, source = _headcount(company, on)
        result.basis["headcount"], result.basis["headcount_from"] = headcount, source
        if not headcount:
            result.reasons.append(_("Its headcount is not known."))
        else:
            beds = headcount // policy.employees_per_bed
            result.basis["beds"] = min(beds, policy.max_beds) if policy.max_beds is not None else beds
            if not result.basis["beds"]:
                result.reasons.append(
                    _("%(headcount)d employees earn no bed at one bed per %(ratio)d.")
                    % {"headcount": headcount, "ratio": policy.employees_per_bed}
                )
    return result


@transaction.atomic
def grant_create(
    *, policy: IncentivePolicy, company: TenantCompany, starts_on: datetime.date, user=None
) -> IncentiveGrant:
    """Grant ``policy`` to ``company`` from ``starts_on`` for the policy's months, when it is eligible
    then; the grant keeps the figures it was based on. A quota sets the company's apartment quota; a
    rent reduction is credited on the bills already issued for the span (and later ones daily)."""
    if not policy.is_active:
        raise ValidationError(_("This policy is no longer active."))
    found = eligibility(policy=policy, company=company, on=starts_on)
    if not found.eligible:
        raise ValidationError(found.reasons)
    overlapping = IncentiveGrant.objects.filter(
        policy=policy, company=company, starts_on__lte=add_months(starts_on, policy.months), ends_on__gte=starts_on
    ).exclude(status=IncentiveGrant.Status.WITHDRAWN)
    if overlapping.exists():
        raise ValidationError(_("The company already holds this policy over these dates."))
    grant = IncentiveGrant(
        policy=policy,
        company=company,
        starts_on=starts_on,
        ends_on=add_months(starts_on, policy.months) - datetime.timedelta(days=1),
        basis=found.basis,
        beds=found.basis.get("beds"),
        granted_by=user,
    )
    grant.full_clean()
    grant.save()
    if policy.kind == IncentivePolicy.Kind.APARTMENT_QUOTA:
        ApartmentQuota.objects.update_or_create(
            company=company,
            defaults={
                "beds": grant.beds,
                "basis": _("%(policy)s: one bed per %(ratio)d employees")
                % {"policy": policy.name, "ratio": policy.employees_per_bed},
            },
        )
    else:
        transaction.on_commit(lambda: grant_credits_apply(grant=grant, on=timezone.localdate()))
    return grant


def _share(line: BillLine, grant: IncentiveGrant) -> Decimal:
    """The reduction on the part of the line's period the grant covers, to the fen."""
    first, last = max(line.period_start, grant.starts_on), min(line.period_end, grant.ends_on)
    days, covered = (line.period_end - line.period_start).days + 1, (last - first).days + 1
    if covered <= 0:
        return Decimal("0")
    amount = line.amount * grant.policy.reduction_percent / 100 * covered / days
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def grant_credits_apply(*, grant: IncentiveGrant, on: datetime.date) -> tuple[int, list[str]]:
    """Credit the reduction on each issued rent line of the company's bills within the grant's span
    not credited for it yet (one credit note per bill). A bill the billing services refuse to
    credit (its fapiao is issued and needs a red-letter fapiao first, say) is left, with the reason,
    for staff. Returns the bills credited and the reasons of those left."""
    if grant.status != IncentiveGrant.Status.ACTIVE or grant.policy.kind != IncentivePolicy.Kind.RENT_REDUCTION:
        return 0, []
    done = GrantCredit.objects.filter(grant=grant).values("bill_line")
    lines = (
        BillLine.objects.filter(
            bill__company=grant.company,
            kind=BillLine.Kind.RENT,
            period_start__lte=grant.ends_on,
            period_end__gte=grant.starts_on,
        )
        .exclude(bill__status__in=[Bill.Status.SCHEDULED, Bill.Status.VOID])
        .exclude(pk__in=done)
        .select_related("bill")
        .order_by("bill__due_on", "pk")
    )
    by_bill: dict[int, list[tuple[BillLine, Decimal]]] = {}
    for line in lines:
        amount = _share(line, grant)
        if amount > 0:
            by_bill.setdefault(line.bill_id, []).append((line, amount))
    credited, left = 0, []
    reason = _("%(policy)s: rent reduced %(percent)s %% (grant %(grant)d)") % {
        "policy": grant.policy.name,
        "percent": grant.policy.reduction_percent.normalize(),
        "grant": grant.pk,
    }
    for credits in by_bill.values():
        bill = credits[0][0].bill
        try:
            with transaction.atomic():
                entries = bill_credit(bill=bill, credits=credits, reason=reason, on=on)
                GrantCredit.objects.bulk_create(
                    GrantCredit(grant=grant, bill=bill, bill_line=line, amount=amount, credit_note=entries[0].number)
                    for line, amount in credits
                )
        except ValidationError as error:
            left.append(f"{bill.number}: {' '.join(error.messages)}")
        else:
            credited += 1
    return credited, left


def grants_apply_due(*, on: datetime.date) -> int:
    """The daily run after bills are issued: credit every active rent reduction on its new bills."""
    grants = IncentiveGrant.objects.filter(
        status=IncentiveGrant.Status.ACTIVE,
        policy__kind=IncentivePolicy.Kind.RENT_REDUCTION,
        starts_on__lte=on + datetime.timedelta(days=60),  # bills are issued ahead of their period
        ends_on__gte=on - datetime.timedelta(days=60),
    ).select_related("policy", "company")
    return sum(grant_credits_apply(grant=grant, on=on)[0] for grant in grants)


def grants_check_conditions(*, company: TenantCompany, on: datetime.date) -> list[IncentiveGrant]:
    """Check the company's active grants against its figures as of ``on`` (a period just accepted):
    each that no longer meets its policy is flagged, with the reason, for staff to decide on a
    claw-back. Returns the grants flagged."""
    flagged = []
    grants = (
        IncentiveGrant.objects.filter(
            company=company,
            status=IncentiveGrant.Status.ACTIVE,
            starts_on__lte=on,
            ends_on__gte=on - datetime.timedelta(days=92),
        )
        .exclude(policy__indicator_code="")
        .select_related("policy", "company")
    )
    for grant in grants:
        found = eligibility(policy=grant.policy, company=company, on=on)
        if found.eligible:
            continue
        IncentiveGrant.objects.filter(pk=grant.pk, status=IncentiveGrant.Status.ACTIVE).update(
            status=IncentiveGrant.Status.FLAGGED, flag_reason=" ".join(found.reasons), flagged_at=timezone.now()
        )
        grant.refresh_from_db()
        notify(
            event=Event.INCENTIVE_FLAGGED,
            context={"grant": grant},
            staff_link=reverse("admin:incentives_incentivegrant_change", args=[grant.pk]),
        )
        flagged.append(grant)
    return flagged


@transaction.atomic
def grant_decide(
    *, grant: IncentiveGrant, keep: bool, note: str, user, on: datetime.date | None = None
) -> IncentiveGrant:
    """Staff's decision on a flagged grant: keep it (the credits go on), or withdraw it from ``on``
    (no more credits; what was credited stays, unless staff charge it back by a debit on a bill)."""
    grant = IncentiveGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.status != IncentiveGrant.Status.FLAGGED:
        raise ValidationError(_("Only a flagged grant waits for a decision."))
    if not note.strip():
        raise ValidationError({"note": _("Say why, for the record.")})
    on = on or timezone.localdate()
    grant.decision_note, grant.decided_by, grant.decided_at = note.strip(), user, timezone.now()
    if keep:
        grant.status = IncentiveGrant.Status.ACTIVE
    else:
        grant.status = IncentiveGrant.Status.WITHDRAWN
        grant.ends_on = max(grant.starts_on, min(grant.ends_on, on))
    grant.full_clean()
    grant.save()
    return grant


def policy_companies(*, policy: IncentivePolicy, on: datetime.date) -> list[tuple[TenantCompany, Eligibility]]:
    """Every tenant company with its eligibility for ``policy`` on ``on`` (for staff choosing whom to grant)."""
    companies = TenantCompany.objects.filter(status=TenantCompany.Status.TENANT).select_related("primary_cluster")
    return [(company, eligibility(policy=policy, company=company, on=on)) for company in companies.order_by("name")]
