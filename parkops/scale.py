"""The benchmark portfolio behind ``seed_demo --scale N``: N − 1 office buildings beside the tower,
each with 1,200 units, sixty tenant companies and ten years of leases, bills and payments.

Every row is a demo value. Rows are written in bulk, a building per transaction, so that fifty
buildings (about 60,000 units, 3,000 companies and half a million bills) load in minutes; the rent
of every lease still comes from the same exact schedule as the services' (``leases.schedule``), and
bill numbers from the same gap-free yearly sequences.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction

from billing.models import Bill, BillLine, DepositEntry, LedgerEntry, Payment, PaymentAllocation
from billing.services import BILL_PREFIX, TaxRates, document_numbers_reserve, receipt_numbers_reserve
from core.dates import add_months, month_start
from leases.models import Lease, LeaseEscalation, LeaseFreePeriod, LeaseUnit
from leases.schedule import DAY, Period, Terms, build_schedule
from leases.selectors import terms_for
from leases.services import hold_start
from spaces.demo import TOWER_CODE
from spaces.models import Building, Floor, Unit
from spaces.plan_cache import stacking_plans_changed
from spaces.services import building_save
from tenants.demo import demo_credit_code
from tenants.models import IndustryCluster, TenantCompany

FLOORS = 30
UNITS_PER_FLOOR = 40
UNIT_AREAS = [60, 45, 80, 50, 70, 55, 90, 40]
FLOOR_AREA = Decimal(sum(UNIT_AREAS) * UNITS_PER_FLOOR // len(UNIT_AREAS))  # each floor runs the list five times
COMPANIES_PER_BUILDING = 60
SUITES_PER_COMPANY = 2
VACANT_UNITS_AFTER_SUITE = 3
TERM_YEARS = 3
HISTORY_YEARS = 10
_TRADES = ["数字科技", "文化传媒", "网络科技", "影视制作", "创意设计", "信息技术"]


@dataclass
class _Suite:
    company: TenantCompany
    units: list[Unit]
    number: int

    @property
    def area(self) -> Decimal:
        return sum((unit.leasable_area for unit in self.units), Decimal("0"))


def seed_scale_buildings(*, count: int, on: datetime.date) -> None:
    """Add ``count`` benchmark buildings (codes LDC-02, LDC-03, …); existing ones are left alone."""
    clusters = list(IndustryCluster.objects.order_by("order"))
    for number in range(2, count + 2):
        code = f"{TOWER_CODE}-{number:02d}"
        if not Building.objects.filter(code=code).exists():
            with transaction.atomic():
                _seed_building(code=code, number=number, clusters=clusters, on=on)
                stacking_plans_changed()  # the leases went in by bulk_create, past the signals
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # after a bulk load, so that the planner knows the tables' new sizes


def _seed_building(*, code: str, number: int, clusters: list[IndustryCluster], on: datetime.date) -> None:
    building = _building_with_units(code=code, number=number)
    units = list(Unit.objects.filter(building=building).order_by("floor__sort_order", "code"))
    companies = _companies(number=number, clusters=clusters)
    suites, cursor = [], 0
    for index in range(COMPANIES_PER_BUILDING * SUITES_PER_COMPANY):
        size = 5 + index % 5
        suites.append(
            _Suite(company=companies[index % len(companies)], units=units[cursor : cursor + size], number=index + 1)
        )
        cursor += size + VACANT_UNITS_AFTER_SUITE
    _leases_and_bills(building=building, suites=suites, on=on)


def _building_with_units(*, code: str, number: int) -> Building:
    building = building_save(
        building=Building(
            code=code,
            name_zh=f"演示产业园 {number:02d} 号楼",
            name_en=f"Demo business park, building {number:02d}",
            address="广州市天河区（演示地址）",
            gross_floor_area=FLOOR_AREA * FLOORS * Decimal("1.3"),
            height_m=Decimal("128.00"),
            storeys_above_ground=FLOORS,
            storeys_below_ground=2,
            year_opened=2015,
            notes="Benchmark building for seed_demo --scale: every figure is a demo value.",
        )
    )
    floors = Floor.objects.bulk_create(
        Floor(
            building=building,
            sort_order=level,
            label=f"{level}F",
            main_use=Floor.Use.OFFICE,
            gross_area=FLOOR_AREA * Decimal("1.3"),
            leasable_area=FLOOR_AREA,
            is_demo=True,
        )
        for level in range(1, FLOORS + 1)
    )
    Unit.objects.bulk_create(
        Unit(
            building=building,
            floor=floor,
            code=f"{floor.sort_order:02d}{n + 1:02d}",
            use=Unit.Use.OFFICE,
            leasable_area=Decimal(UNIT_AREAS[(floor.sort_order + n) % len(UNIT_AREAS)]),
            is_demo=True,
        )
        for floor in floors
        for n in range(UNITS_PER_FLOOR)
    )
    return building


def _companies(*, number: int, clusters: list[IndustryCluster]) -> list[TenantCompany]:
    companies = []
    for index in range(COMPANIES_PER_BUILDING):
        trade = _TRADES[index % len(_TRADES)]
        name = f"广州演示{number:02d}{index + 1:03d}{trade}有限公司"
        companies.append(
            TenantCompany(
                name=name,
                short_name=f"演示{number:02d}-{index + 1:03d}",
                credit_code=demo_credit_code(name),
                name_en=f"Demo company {number:02d}-{index + 1:03d} Co., Ltd.",
                primary_cluster=clusters[(number + index) % len(clusters)],
                status=TenantCompany.Status.TENANT,
                headcount=10 + (number * 31 + index * 17) % 400,
                registered_capital=Decimal(1_000_000 + index * 250_000),
                is_incubated_in_park=index % 9 == 4,
                is_demo=True,
                notes="Benchmark company for seed_demo --scale: every figure is a demo value.",
            )
        )
    return TenantCompany.objects.bulk_create(companies)


def _leases_and_bills(*, building: Building, suites: list[_Suite], on: datetime.date) -> None:
    """Each suite is let in three-year terms, each renewing the last, from up to three years before
    the ten-year window; every tenth suite's tenant left at its last expiry, so the suite is vacant."""
    window_start = month_start(on).replace(year=on.year - HISTORY_YEARS)
    chains: list[list[tuple[Lease, _Suite, list[LeaseFreePeriod], list[LeaseEscalation]]]] = []
    for suite in suites:
        starts_on, chain = add_months(window_start, -(suite.number * 7 % 36)), []
        generation = 0
        while starts_on <= on:
            generation += 1
            ends_on = starts_on.replace(year=starts_on.year + TERM_YEARS) - DAY
            if suite.number % 10 == 0 and ends_on >= on:
                break  # this tenant did not renew: the suite stands vacant now
            rate = (Decimal("3.50") + Decimal(suite.number % 8) / 4) * Decimal("1.05") ** (generation - 1)
            lease = Lease(
                number=f"{building.code}-S{suite.number:03d}-{generation:02d}",
                tenant=suite.company,
                signed_on=starts_on - datetime.timedelta(days=45),
                starts_on=starts_on,
                ends_on=ends_on,
                rent_rate=rate.quantize(Decimal("0.01")),
                rent_basis=Lease.RentBasis.PER_DAY,
                fee_rate=Decimal("18.00"),
                due_day=5,
                payment_cycle=Lease.Cycle.MONTHLY if suite.number % 3 == 0 else Lease.Cycle.QUARTERLY,
                late_fee_rate=Decimal("0.0005"),
                late_fee_grace_days=5,
            )
            lease.status = Lease.Status.RENEWED
            monthly = suite.area * (lease.rent_rate * Decimal("365") / 12 + lease.fee_rate)
            lease.deposit_amount = (monthly * 3).quantize(Decimal("0.01"))
            free = (
                [
                    LeaseFreePeriod(
                        kind=LeaseFreePeriod.Kind.RENT_FREE, starts_on=starts_on, ends_on=add_months(starts_on, 2) - DAY
                    )
                ]
                if generation == 1
                else []
            )
            if generation == 1:
                free.insert(
                    0,
                    LeaseFreePeriod(
                        kind=LeaseFreePeriod.Kind.FIT_OUT,
                        starts_on=starts_on - datetime.timedelta(days=30),
                        ends_on=starts_on - DAY,
                    ),
                )
            rises = (
                [LeaseEscalation(every_months=12, kind=LeaseEscalation.Kind.PERCENT, value=Decimal("3"))]
                if suite.number % 2
                else []
            )
            chain.append((lease, suite, free, rises))
            starts_on = ends_on + DAY
        last = chain[-1][0]
        last.status = Lease.Status.ACTIVE if last.ends_on >= on else Lease.Status.EXPIRED
        chains.append(chain)
    rows = [row for chain in chains for row in chain]
    Lease.objects.bulk_create([lease for lease, *_ in rows])
    for chain in chains:
        company = chain[0][1].company
        company.moved_in_on = min(company.moved_in_on or chain[0][0].starts_on, chain[0][0].starts_on)
    TenantCompany.objects.bulk_update({suite.company for suite in suites}, ["moved_in_on"])
    for chain in chains:
        for previous, following in zip(chain, chain[1:], strict=False):
            following[0].renews = previous[0]
    Lease.objects.bulk_update([lease for lease, *_ in rows if lease.renews_id], ["renews"])
    for lease, _suite, free, rises in rows:
        for item in (*free, *rises):
            item.lease = lease
    LeaseFreePeriod.objects.bulk_create([period for _lease, _suite, free, _rises in rows for period in free])
    LeaseEscalation.objects.bulk_create([rise for _lease, _suite, _free, rises in rows for rise in rises])
    LeaseUnit.objects.bulk_create(
        LeaseUnit(lease=lease, unit=unit, is_binding=True, starts_on=hold_start(lease, free), ends_on=lease.ends_on)
        for lease, suite, free, _rises in rows
        for unit in suite.units
    )
    _deposits(chains)
    _bills(
        rows=[
            (lease, terms_for(lease=lease, area=suite.area, free_periods=free, escalations=rises))
            for lease, suite, free, rises in rows
        ],
        on=on,
    )


def _deposits(chains) -> None:
    """Each first lease's deposit received a month before its start; each renewal takes over what the
    lease it renews held and the tenant tops it up; a suite left vacant has its deposit refunded."""
    received: list[DepositEntry] = []
    carried: list[tuple[DepositEntry, DepositEntry]] = []
    refunded: list[DepositEntry] = []
    for chain in chains:
        held = Decimal("0")
        for index, (lease, *_rest) in enumerate(chain):
            if index:
                previous = chain[index - 1][0]
                carried.append(
                    (
                        DepositEntry(
                            lease=previous,
                            company_id=lease.tenant_id,
                            kind=DepositEntry.Kind.CARRIED_OUT,
                            amount=held,
                            posted_on=lease.signed_on,
                        ),
                        DepositEntry(
                            lease=lease,
                            company_id=lease.tenant_id,
                            kind=DepositEntry.Kind.CARRIED_IN,
                            amount=held,
                            posted_on=lease.signed_on,
                        ),
                    )
                )
            if lease.deposit_amount > held:
                received.append(
                    DepositEntry(
                        lease=lease,
                        company_id=lease.tenant_id,
                        kind=DepositEntry.Kind.RECEIVED,
                        amount=lease.deposit_amount - held,
                        posted_on=lease.starts_on - datetime.timedelta(days=30),
                        reference=f"DEMO-DEP-{lease.number}",
                    )
                )
                held = lease.deposit_amount
        last = chain[-1][0]
        if last.status == Lease.Status.EXPIRED:
            refunded.append(
                DepositEntry(
                    lease=last,
                    company_id=last.tenant_id,
                    kind=DepositEntry.Kind.REFUNDED,
                    amount=held,
                    posted_on=last.ends_on + datetime.timedelta(days=30),
                    reference=f"DEMO-REF-{last.number}",
                )
            )
    _number_receipts(received, day="posted_on")
    DepositEntry.objects.bulk_create([*received, *refunded, *(out for out, _in in carried)], batch_size=5000)
    for out, into in carried:
        into.carried_from = out
    DepositEntry.objects.bulk_create([into for _out, into in carried], batch_size=5000)


def _bills(*, rows: list[tuple[Lease, Terms]], on: datetime.date) -> None:
    """Bills for every period: issued (numbered) when due within the issuing horizon, else scheduled;
    paid on their due day, except the last two due bills of every seventh running lease (arrears)."""
    issue_days = datetime.timedelta(days=settings.PARKOPS_BILL_ISSUE_DAYS)
    horizon = on + issue_days
    bills: list[tuple[Bill, Period]] = []
    for lease, terms in rows:
        periods = [period for period in build_schedule(terms).periods if period.total]
        behind = 2 if lease.status == Lease.Status.ACTIVE and lease.pk % 7 == 0 else 0
        due = [period for period in periods if period.due_on <= on]
        unpaid = {period.starts_on for period in due[len(due) - behind :]} if behind else set()
        for period in periods:
            bill = Bill(
                company_id=lease.tenant_id,
                lease=lease,
                period_start=period.starts_on,
                period_end=period.ends_on,
                due_on=period.due_on,
                amount=period.total,
                late_fee_rate=lease.late_fee_rate,
                late_fee_grace_days=lease.late_fee_grace_days,
            )
            if period.due_on <= horizon:
                bill.amount_due = bill.amount
                bill.issued_on = min(on, period.due_on - issue_days)
                if period.due_on > on:
                    bill.status = Bill.Status.ISSUED
                elif period.starts_on in unpaid:
                    bill.status = Bill.Status.OVERDUE if period.due_on < on else Bill.Status.ISSUED
                else:
                    bill.status, bill.amount_paid = Bill.Status.PAID, bill.amount
            bills.append((bill, period))
    _number(bill for bill, _period in bills)
    Bill.objects.bulk_create([bill for bill, _period in bills], batch_size=5000)
    rates = TaxRates()
    BillLine.objects.bulk_create(
        (
            BillLine(
                bill=bill,
                kind=kind,
                period_start=period.starts_on,
                period_end=period.ends_on,
                amount=amount,
                **rates.line_fields(kind, amount, period.starts_on),
            )
            for bill, period in bills
            for kind, amount in ((BillLine.Kind.RENT, period.rent), (BillLine.Kind.FEE, period.fee))
            if amount
        ),
        batch_size=5000,
    )
    paid = [bill for bill, _period in bills if bill.status == Bill.Status.PAID]
    payments = [
        Payment(
            company_id=bill.company_id,
            amount=bill.amount,
            received_on=bill.due_on,
            method=Payment.Method.BANK_TRANSFER,
            reference=f"DEMO-{bill.number}",
            note="演示数据 (demo payment)",
        )
        for bill in paid
    ]
    _number_receipts(payments, day="received_on")
    payments = Payment.objects.bulk_create(payments, batch_size=5000)
    issued = [bill for bill, _period in bills if bill.issued_on and bill.amount]
    LedgerEntry.objects.bulk_create(
        [
            *(
                LedgerEntry(
                    company_id=bill.company_id,
                    kind=LedgerEntry.Kind.BILL,
                    debit=bill.amount,
                    posted_on=bill.issued_on,
                    bill=bill,
                )
                for bill in issued
            ),
            *(
                LedgerEntry(
                    company_id=payment.company_id,
                    kind=LedgerEntry.Kind.PAYMENT,
                    credit=payment.amount,
                    posted_on=payment.received_on,
                    payment=payment,
                )
                for payment in payments
            ),
        ],
        batch_size=5000,
    )
    PaymentAllocation.objects.bulk_create(
        (
            PaymentAllocation(
                payment=payment, bill=bill, amount=bill.amount, posted_on=max(payment.received_on, bill.issued_on)
            )
            for payment, bill in zip(payments, paid, strict=True)
        ),
        batch_size=5000,
    )


def _number_receipts(documents: list, *, day: str) -> None:
    """Receipt numbers from each year's sequence in order of receipt, as ``payment_record`` gives them."""
    by_year: dict[int, list] = {}
    for document in sorted(documents, key=lambda document: getattr(document, day)):
        by_year.setdefault(getattr(document, day).year, []).append(document)
    for year, year_documents in by_year.items():
        for document, number in zip(
            year_documents, receipt_numbers_reserve(year=year, count=len(year_documents)), strict=True
        ):
            document.receipt_number = number


def _number(bills) -> None:
    """Number the issued bills in order of issue from each year's sequence, as ``bill_issue`` would."""
    issued = sorted((bill for bill in bills if bill.issued_on), key=lambda bill: (bill.issued_on, bill.due_on))
    by_year: dict[int, list[Bill]] = {}
    for bill in issued:
        by_year.setdefault(bill.issued_on.year, []).append(bill)
    for year, year_bills in by_year.items():
        for bill, number in zip(
            year_bills, document_numbers_reserve(prefix=BILL_PREFIX, year=year, count=len(year_bills)), strict=True
        ):
            bill.number = number
