"""Rows in bulk for the query-count tests: every list endpoint gets ``count`` rows at least."""

import datetime
from decimal import Decimal

from django.utils import timezone

from banking.models import BankStatement, StatementLayout, StatementLine
from billing.models import (
    Bill,
    BillLine,
    DepositEntry,
    Fapiao,
    FapiaoLine,
    LedgerEntry,
    Payment,
    PaymentAllocation,
    ReminderSent,
)
from events.models import Booking, Event, ProgrammeItem
from leases.models import Lease, LeaseUnit
from meters.models import Meter, MeterReading, Tariff, UtilityCharge, UtilityRun
from reports.models import ReportRun
from spaces.models import Building, Floor, Unit
from tenants.models import CompanyContact, IndustryCluster, Milestone, PartnerAgreement, TenantCompany
from tests.factories import valid_credit_code


def make_rows(count: int, hall) -> None:
    cluster = IndustryCluster.objects.create(code="bulk", name_zh="批量", name_en="Bulk", colour="#123456")
    building = Building.objects.create(
        code="BULK", name_zh="批量大厦", gross_floor_area=Decimal("1000000"), storeys_above_ground=30
    )
    floors = Floor.objects.bulk_create(
        Floor(
            building=building,
            sort_order=n,
            label=f"{n}F",
            gross_area=Decimal("100000"),
            leasable_area=Decimal("100000"),
        )
        for n in range(count)
    )
    companies = TenantCompany.objects.bulk_create(
        TenantCompany(name=f"批量公司{n}", credit_code=valid_credit_code(900000 + n), primary_cluster=cluster)
        for n in range(count)
    )
    for company in companies:
        company.secondary_clusters.add(cluster)
    units = Unit.objects.bulk_create(
        Unit(building=building, floor=floors[n], code=f"U{n}", leasable_area=Decimal("100")) for n in range(count)
    )
    leases = Lease.objects.bulk_create(
        Lease(
            number=f"BULK-{n}",
            tenant=companies[n],
            status="active",
            signed_on=datetime.date(2025, 1, 1),
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2027, 12, 31),
            rent_rate=Decimal("4"),
        )
        for n in range(count)
    )
    LeaseUnit.objects.bulk_create(
        LeaseUnit(lease=lease, unit=unit, starts_on=lease.starts_on, ends_on=lease.ends_on, is_binding=True)
        for lease, unit in zip(leases, units, strict=True)
    )
    bills = Bill.objects.bulk_create(
        Bill(
            company=c,
            lease=lease,
            number=f"B{n}",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 1, 31),
            due_on=datetime.date(2026, 1, 5),
            issued_on=datetime.date(2026, 1, 1),
            status="partly_paid",
            amount=Decimal("100"),
            amount_due=Decimal("100"),
            amount_paid=Decimal("50"),
        )
        for n, (c, lease) in enumerate(zip(companies, leases, strict=True))
    )
    BillLine.objects.bulk_create(
        BillLine(
            bill=b,
            kind="rent",
            period_start=b.period_start,
            period_end=b.period_end,
            amount=b.amount,
            net_amount=b.amount,  # untaxed: net and tax must make the amount
        )
        for b in bills
    )
    payments = Payment.objects.bulk_create(
        Payment(
            company=c, amount=Decimal("50"), received_on=datetime.date(2026, 1, 2), method="cash", reference=f"P{n}"
        )
        for n, c in enumerate(companies)
    )
    LedgerEntry.objects.bulk_create(
        LedgerEntry(company=b.company, kind="bill", debit=b.amount, posted_on=b.issued_on, bill=b) for b in bills
    )
    PaymentAllocation.objects.bulk_create(
        PaymentAllocation(payment=p, bill=b, amount=Decimal("50"), posted_on=p.received_on)
        for p, b in zip(payments, bills, strict=True)
    )
    DepositEntry.objects.bulk_create(
        DepositEntry(lease=lease, company=c, kind="received", amount=Decimal("10"), posted_on=datetime.date(2026, 1, 1))
        for c, lease in zip(companies, leases, strict=True)
    )
    fapiaos = Fapiao.objects.bulk_create(
        Fapiao(
            company=b.company,
            bill=b,
            fapiao_type="ordinary",
            buyer_title="t",
            buyer_taxpayer_number=b.company.credit_code,
            buyer_email="f@example.cn",
            amount=b.amount,
            net_amount=b.amount,
            tax_amount=0,
        )
        for b in bills
    )
    FapiaoLine.objects.bulk_create(
        FapiaoLine(
            fapiao=f,
            bill_line=line,
            item_name="租金",
            goods_code="3040502020200000000",
            tax_rate=0,
            amount=f.amount,
            net_amount=f.amount,
            tax_amount=0,
        )
        for f, line in zip(fapiaos, BillLine.objects.filter(bill__in=bills).order_by("bill_id"), strict=True)
    )
    ReminderSent.objects.bulk_create(
        ReminderSent(
            company=b.company,
            bill=b,
            days_from_due=7,
            title="t",
            sent_on=datetime.date(2026, 1, 12),
            outstanding=Decimal("50"),
            status="sent",
        )
        for b in bills
    )
    meters = Meter.objects.bulk_create(
        Meter(kind="electricity", serial=f"M{n}", building=u.building, unit=u, installed_on=datetime.date(2025, 1, 1))
        for n, u in enumerate(units)
    )
    MeterReading.objects.bulk_create(
        MeterReading(meter=m, read_on=datetime.date(2026, 1, 25), value=Decimal("10")) for m in meters
    )
    run = UtilityRun.objects.create(
        building=units[0].building,
        period_start=datetime.date(2025, 12, 26),
        period_end=datetime.date(2026, 1, 25),
        status="posted",
    )
    UtilityCharge.objects.bulk_create(
        UtilityCharge(
            run=run,
            company=c,
            meter=m,
            kind="electricity",
            source="meter",
            consumption=1,
            amount=Decimal("1"),
            explanation={},
            bill=b,
        )
        for c, m, b in zip(companies, meters, bills, strict=True)
    )
    Tariff.objects.create(kind="electricity", effective_from=datetime.date(2025, 1, 1))
    statement = BankStatement.objects.create(layout=StatementLayout.objects.first(), filename="s.csv")
    StatementLine.objects.bulk_create(
        StatementLine(
            statement=statement,
            row=n,
            raw={},
            bank="b",
            booked_on=datetime.date(2026, 1, 2),
            amount=Decimal("50"),
            serial=f"S{n}",
            fingerprint=str(n),
            company=c,
        )
        for n, c in enumerate(companies)
    )
    CompanyContact.objects.bulk_create(CompanyContact(company=c, name=f"联系人{n}") for n, c in enumerate(companies))
    agreements = PartnerAgreement.objects.bulk_create(
        PartnerAgreement(partner=c, title=f"协议{n}") for n, c in enumerate(companies)
    )
    Milestone.objects.bulk_create(
        Milestone(agreement=a, description="m", owner="o", due_on=datetime.date(2026, 1, 1)) for a in agreements
    )
    start = timezone.make_aware(datetime.datetime(2026, 1, 1, 9))
    Booking.objects.bulk_create(
        Booking(
            hall=hall,
            organiser="operator",
            title=f"会{n}",
            starts_at=start + datetime.timedelta(days=n),
            ends_at=start + datetime.timedelta(days=n, hours=1),
            blocked_from=start + datetime.timedelta(days=n),
            blocked_until=start + datetime.timedelta(days=n, hours=1),
            attendees=1,
            price=0,
        )
        for n in range(count)
    )
    events = Event.objects.bulk_create(Event(title=f"活动{n}", capacity=10) for n in range(count))
    ProgrammeItem.objects.bulk_create(
        ProgrammeItem(event=e, starts_at=start, ends_at=start + datetime.timedelta(hours=1), title="t") for e in events
    )
    ReportRun.objects.bulk_create(
        ReportRun(kind="occupancy", period_start=datetime.date(2026, 1, 1)) for _ in range(count)
    )
