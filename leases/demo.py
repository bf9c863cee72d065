"""Demo leases and leasing pipeline of the tower: every rent, term and deal is a demo value."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from billing.services import deposit_receive
from core.dates import add_months
from spaces.models import Building, Unit
from tenants.models import TenantCompany
from tenants.services import company_save

from .models import Lease, LeaseEscalation, LeaseFreePeriod, Prospect, ProspectActivity
from .services import lease_save, lease_sign, prospect_activity_save, prospect_save

OPENING_DAY = datetime.date(2025, 3, 28)  # leasing and operations opened (a fact)


def _lease_start(index: int) -> datetime.date:
    """Leases signed from the opening on 2025-04-01, a month apart in turn (demo values)."""
    month = 4 + index % 18
    return datetime.date(2025 + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def seed_leases(*, building: Building, companies: list[TenantCompany]) -> None:
    """Each tenant company leases one to three neighbouring office units for three years.

    Most leases have started, a few start next year (their units show as reserved), and about a
    third of the office space stays vacant. Every figure is a demo value.
    """
    offices = list(Unit.objects.filter(building=building, use=Unit.Use.OFFICE).order_by("code"))
    tenants = [company for company in companies if company.status == TenantCompany.Status.TENANT]
    cursor = 0
    for index, tenant in enumerate(tenants):
        number = f"{building.code}-DEMO-{index + 1:03d}"
        size = 1 + index % 3
        if Lease.objects.filter(number=number).exists():
            cursor += size + 1
            continue
        units = offices[cursor : cursor + size]
        cursor += size + 1  # leave a vacant unit between tenants
        if not units:
            break
        starts_on = _lease_start(index) if index % 10 != 9 else datetime.date(2027, 1, 1)
        ends_on = starts_on.replace(year=starts_on.year + 3) - datetime.timedelta(days=1)
        area = sum(unit.leasable_area for unit in units)
        lease = Lease(
            number=number,
            tenant=tenant,
            starts_on=starts_on,
            ends_on=ends_on,
            rent_rate=Decimal("4.00") + Decimal(index % 9) / 4,
            rent_basis=Lease.RentBasis.PER_DAY,
            fee_rate=Decimal("22.00"),
            due_day=5,
            payment_cycle=Lease.Cycle.QUARTERLY if index % 4 == 3 else Lease.Cycle.MONTHLY,
        )
        lease.deposit_amount = (area * (lease.rent_rate * Decimal("365") / 12 + lease.fee_rate) * 3).quantize(
            Decimal("0.01")
        )
        lease.late_fee_rate, lease.late_fee_grace_days = Decimal("0.0005"), 5  # 0.05 % a day after 5 days
        fit_out = LeaseFreePeriod(
            kind=LeaseFreePeriod.Kind.FIT_OUT,
            starts_on=starts_on - datetime.timedelta(days=30),
            ends_on=starts_on - datetime.timedelta(days=1),
        )
        rent_free = LeaseFreePeriod(
            kind=LeaseFreePeriod.Kind.RENT_FREE,
            starts_on=starts_on,
            ends_on=add_months(starts_on, 1 + index % 3) - datetime.timedelta(days=1),
        )
        escalation = LeaseEscalation(every_months=12, kind=LeaseEscalation.Kind.PERCENT, value=Decimal("3"))
        lease = lease_save(
            lease=lease, units=units, free_periods=[fit_out, rent_free], escalations=[escalation] if index % 2 else []
        )
        signed_on = max(OPENING_DAY, min(starts_on - datetime.timedelta(days=45), datetime.date(2026, 10, 15)))
        lease_sign(lease=lease, signed_on=signed_on)
        deposit_receive(
            lease_id=lease.pk,
            company_id=tenant.pk,
            amount=lease.deposit_amount,
            received_on=signed_on,
            reference=f"DEMO-DEP-{lease.number}",
            required=lease.deposit_amount,
        )
        if tenant.moved_in_on is None:
            tenant.moved_in_on = starts_on
            company_save(company=tenant)


PIPELINE_STAGES = (
    [Prospect.Stage.LEAD] * 5
    + [Prospect.Stage.SITE_VISIT] * 4
    + [Prospect.Stage.PROPOSAL] * 4
    + [Prospect.Stage.NEGOTIATING] * 3
    + [Prospect.Stage.SIGNED] * 2
    + [Prospect.Stage.LOST] * 2
)
_ACTIVITY_NOTES = [
    (ProspectActivity.Kind.CALL, "首次电话沟通，了解面积与预算需求。"),
    (ProspectActivity.Kind.VISIT, "陪同客户实地看房，关注层高与网络条件。"),
    (ProspectActivity.Kind.PROPOSAL, "发送报价方案：含免租期与物业费。"),
    (ProspectActivity.Kind.MEETING, "商务谈判：租金递增与装修期。"),
]


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def seed_pipeline(*, building: Building, companies: list[TenantCompany]) -> None:
    """About twenty deals across the stages, on vacant office units (every figure a demo value).

    Dates are fixed so that, seen from late 2026, some deals are fresh and some are going stale.
    """
    if Prospect.objects.filter(is_demo=True).exists():
        return
    owner = get_user_model().objects.filter(username="staff").first()
    prospects = [c for c in companies if c.status in (TenantCompany.Status.PROSPECT, TenantCompany.Status.NEGOTIATING)]
    expanding = [c for c in companies if c.status == TenantCompany.Status.TENANT][: len(PIPELINE_STAGES)]
    candidates = (prospects + expanding)[: len(PIPELINE_STAGES)]
    vacant = list(
        Unit.objects.filter(building=building, use=Unit.Use.OFFICE)
        .with_occupancy(on=datetime.date(2026, 12, 31))
        .filter(occupancy_status=Unit.Status.VACANT)
        .order_by("-code")
    )
    for index, (company, stage) in enumerate(zip(candidates, PIPELINE_STAGES, strict=False)):
        units = vacant[index * 2 : index * 2 + 1 + index % 2]
        created = datetime.date(2026, 5, 1) + datetime.timedelta(days=7 * index)
        prospect = prospect_save(
            prospect=Prospect(
                company=company,
                stage=stage,
                owner=owner,
                is_demo=True,
                created_at=_at(created),
                area_wanted=sum((unit.leasable_area for unit in units), Decimal("0")) or Decimal("200"),
                quoted_rent=Decimal("4.50") + Decimal(index % 5) / 2,
                rent_free_months=Decimal(1 + index % 3),
                lost_reason="选择了珠江新城的其他项目（演示）" if stage == Prospect.Stage.LOST else "",
                next_action="" if stage in (Prospect.Stage.SIGNED, Prospect.Stage.LOST) else "跟进报价与看房安排",
                next_action_on=None
                if stage in (Prospect.Stage.SIGNED, Prospect.Stage.LOST)
                else datetime.date(2026, 11, 10) + datetime.timedelta(days=3 * index),
            )
        )
        prospect.units_of_interest.set(units)
        prospect.floors_of_interest.set({unit.floor for unit in units})
        for step, (kind, note) in enumerate(_ACTIVITY_NOTES[: 1 + index % 4]):
            prospect_activity_save(
                activity=ProspectActivity(
                    prospect=prospect,
                    kind=kind,
                    note=note,
                    by=owner,
                    happened_at=_at(created + datetime.timedelta(days=10 * step + 3)),
                )
            )
