"""Writes to talent apartments: applications, allocations of beds, check-in and -out, rent bills."""

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from billing.models import Bill, BillLine
from billing.services import BillDraft, LineDraft, bill_credit, bill_schedule, bill_unschedule, line_credited
from core.dates import add_months
from core.errors import Conflict
from notifications.events import Event
from notifications.services import notify
from tenants.models import TenantCompany
from tenants.selectors import company_recipients

from .identity import validate_identity
from .models import ApartmentApplication, ApartmentQuota, Bed, BedAllocation


def _normalise(person) -> None:
    person.id_number = "".join(person.id_number.split()).upper()
    person.phone = person.phone.strip()
    validate_identity(person.id_type, person.id_number)


@transaction.atomic
def apartment_apply(*, application: ApartmentApplication) -> ApartmentApplication:
    """A company asks a bed for a named employee; staff approve it (allocating a bed) or reject it."""
    _normalise(application)
    application.status = ApartmentApplication.Status.PENDING
    application.full_clean()
    application.save()
    return application


def _beds_held(company_id: int, start: datetime.date, end: datetime.date, exclude_pk=None) -> int:
    """The most beds the company holds on any single day from ``start`` to ``end`` (exclusive)."""
    allocations = list(
        BedAllocation.objects.filter(company_id=company_id, check_in__lt=end, occupied_until__gt=start)
        .exclude(status=BedAllocation.Status.CANCELLED)
        .exclude(pk=exclude_pk)
        .values_list("check_in", "occupied_until")
    )
    days = {max(check_in, start) for check_in, _until in allocations} | {start}
    return max((sum(1 for check_in, until in allocations if check_in <= day < until) for day in days), default=0)


def _bed_conflicts(bed: Bed, start: datetime.date, end: datetime.date, exclude_pk=None) -> list[BedAllocation]:
    return list(
        BedAllocation.objects.filter(bed=bed, check_in__lt=end, occupied_until__gt=start)
        .exclude(status=BedAllocation.Status.CANCELLED)
        .exclude(pk=exclude_pk)
    )


def _place(*, company: TenantCompany, bed: Bed, start: datetime.date, end: datetime.date, exclude_pk=None) -> None:
    """Refuse a bed already taken on any of the days, or a company at its quota (rows locked first)."""
    quota = ApartmentQuota.objects.select_for_update().filter(company=company).first()
    Bed.objects.select_for_update().get(pk=bed.pk)
    if _bed_conflicts(bed, start, end, exclude_pk):
        raise Conflict(
            {
                "bed": _("Bed %(bed)s is already taken between %(start)s and %(end)s.")
                % {"bed": bed, "start": start.isoformat(), "end": end.isoformat()}
            }
        )
    allowed = quota.beds if quota else 0
    if _beds_held(company.pk, start, end, exclude_pk) + 1 > allowed:
        raise ValidationError(
            {
                "bed": _("%(company)s may hold %(beds)d beds at once and has no bed left in its quota.")
                % {"company": company.display_name, "beds": allowed}
            }
        )


def _room_rent(bed: Bed) -> Decimal:
    room = bed.room
    if room.rent_basis == room.RentBasis.PER_BED:
        return room.monthly_rent
    return (room.monthly_rent / max(room.beds.count(), 1)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def application_approve(*, application: ApartmentApplication, bed: Bed) -> BedAllocation:
    """Allocate ``bed`` to the applicant from the wanted day for the months asked; the bed and the
    company's quota are locked while checking, so two approvals never give one bed twice."""
    application = ApartmentApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in (ApartmentApplication.Status.PENDING, ApartmentApplication.Status.WAITLISTED):
        raise ValidationError({"status": _("Only a pending or waiting application can be approved.")})
    start = application.wanted_from
    end = add_months(start, application.months)
    _place(company=application.company, bed=bed, start=start, end=end)
    allocation = BedAllocation(
        bed=bed,
        company=application.company,
        application=application,
        name=application.name,
        id_type=application.id_type,
        id_number=application.id_number,
        phone=application.phone,
        check_in=start,
        planned_check_out=end,
        occupied_until=end,
        monthly_rent=_room_rent(bed),
    )
    allocation.full_clean()
    allocation.save()
    application.status = ApartmentApplication.Status.APPROVED
    application.save(update_fields=["status"])
    _tell_decided(application)
    return allocation


def _tell_decided(application: ApartmentApplication) -> None:
    notify(
        event=Event.APPLICATION_DECIDED,
        context={"application": application},
        users=company_recipients(application.company, also=[application.applied_by]),
        link=reverse("portal:apartments"),
        staff=False,
    )


@transaction.atomic
def application_reject(*, application: ApartmentApplication, reason: str) -> ApartmentApplication:
    if not reason.strip():
        raise ValidationError({"rejection_reason": _("Say why the application is rejected.")})
    application.status, application.rejection_reason = ApartmentApplication.Status.REJECTED, reason.strip()
    application.full_clean()
    application.save(update_fields=["status", "rejection_reason"])
    _tell_decided(application)
    return application


@transaction.atomic
def application_waitlist(*, application: ApartmentApplication) -> ApartmentApplication:
    application.status = ApartmentApplication.Status.WAITLISTED
    application.save(update_fields=["status"])
    return application


@transaction.atomic
def application_withdraw(*, application: ApartmentApplication) -> ApartmentApplication:
    """The company takes back an application that is still waiting for a decision."""
    application = ApartmentApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in (ApartmentApplication.Status.PENDING, ApartmentApplication.Status.WAITLISTED):
        raise ValidationError({"status": _("Only a pending or waiting application can be withdrawn.")})
    application.status = ApartmentApplication.Status.WITHDRAWN
    application.save(update_fields=["status"])
    return application


@transaction.atomic
def allocation_check_in(*, allocation: BedAllocation) -> BedAllocation:
    allocation = BedAllocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.status != BedAllocation.Status.RESERVED:
        raise ValidationError({"status": _("Only a reserved bed can be checked into.")})
    allocation.status = BedAllocation.Status.CHECKED_IN
    allocation.save(update_fields=["status"])
    return allocation


@transaction.atomic
def allocation_check_out(*, allocation: BedAllocation, on: datetime.date) -> BedAllocation:
    """The resident leaves on ``on`` (early or on time); the bed is free from that day."""
    allocation = BedAllocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.status != BedAllocation.Status.CHECKED_IN:
        raise ValidationError({"status": _("Only a resident who checked in can check out.")})
    if not allocation.check_in < on <= allocation.planned_check_out:
        raise ValidationError({"actual_check_out": _("Check-out falls after check-in and by the planned day.")})
    allocation.status, allocation.actual_check_out, allocation.occupied_until = (
        BedAllocation.Status.CHECKED_OUT,
        on,
        on,
    )
    allocation.save(update_fields=["status", "actual_check_out", "occupied_until"])
    _rent_after_leaving(allocation, on)
    return allocation


def _rent_after_leaving(allocation: BedAllocation, left_on: datetime.date) -> None:
    """A resident who left before the end of a billed month: an issued month is credited the days
    not stayed (by line, prorated by day as it was billed); a month only scheduled is dropped and
    billed again for whoever stays."""
    lines = (
        BillLine.objects.filter(
            source__startswith=f"apartments.bedallocation:{allocation.pk}:", period_end__gte=left_on
        )
        .exclude(bill__status=Bill.Status.VOID)
        .select_related("bill")
    )
    for line in lines:
        if line.bill.status == Bill.Status.SCHEDULED:
            month = line.period_start
            bill_unschedule(bill=line.bill)
            apartment_bills_issue(year=month.year, month=month.month, on=max(left_on, month))
            continue
        first = line.period_start.replace(day=1)
        days = calendar.monthrange(first.year, first.month)[1]
        stayed = max((left_on - line.period_start).days, 0)
        owed = (allocation.monthly_rent * stayed / days).quantize(Decimal("0.01"), ROUND_HALF_UP)
        unused = line.amount - line_credited(line) - owed
        if unused > 0:
            bill_credit(
                bill=line.bill,
                credits=[(line, unused)],
                reason=_("%(name)s left on %(day)s: the days not stayed")
                % {"name": allocation.name, "day": left_on.isoformat()},
            )


@transaction.atomic
def allocation_request_check_out(*, allocation: BedAllocation, on: datetime.date) -> BedAllocation:
    """The company asks staff to check its resident out on ``on``."""
    if (
        allocation.status != BedAllocation.Status.CHECKED_IN
        or not allocation.check_in < on <= allocation.planned_check_out
    ):
        raise ValidationError(
            {"check_out_requested_for": _("Choose a day after check-in and by the planned check-out.")}
        )
    allocation.check_out_requested_for = on
    allocation.save(update_fields=["check_out_requested_for"])
    return allocation


@transaction.atomic
def allocation_move(*, allocation: BedAllocation, to_bed: Bed, on: datetime.date) -> BedAllocation:
    """Move a resident to another bed from ``on``: the stay is cut there and continues in ``to_bed``."""
    allocation = BedAllocation.objects.select_for_update().get(pk=allocation.pk)
    if (
        allocation.status != BedAllocation.Status.CHECKED_IN
        or not allocation.check_in < on < allocation.planned_check_out
    ):
        raise ValidationError({"bed": _("A resident can move while checked in, between check-in and check-out.")})
    _place(company=allocation.company, bed=to_bed, start=on, end=allocation.planned_check_out, exclude_pk=allocation.pk)
    moved = BedAllocation(
        bed=to_bed,
        company=allocation.company,
        name=allocation.name,
        id_type=allocation.id_type,
        id_number=allocation.id_number,
        phone=allocation.phone,
        check_in=on,
        planned_check_out=allocation.planned_check_out,
        occupied_until=allocation.planned_check_out,
        monthly_rent=_room_rent(to_bed),
        status=BedAllocation.Status.CHECKED_IN,
    )
    allocation.status, allocation.actual_check_out, allocation.occupied_until = (
        BedAllocation.Status.CHECKED_OUT,
        on,
        on,
    )
    allocation.save(update_fields=["status", "actual_check_out", "occupied_until"])
    moved.full_clean()
    moved.save()
    _rent_after_leaving(allocation, on)
    return moved


def _rent_source(allocation: BedAllocation, first: datetime.date) -> str:
    return f"apartments.bedallocation:{allocation.pk}:{first:%Y-%m}"


@transaction.atomic
def apartment_bills_issue(*, year: int, month: int, on: datetime.date) -> list[Bill]:
    """Scheduled bills for the month's residents' rent not billed yet, prorated by day: one per
    company, or one per resident where the company's quota says residents pay.

    Each resident's month is billed once: a resident already on a bill for the month that is not
    void is left out, so the job can run every day. A resident who checks in after the first run
    is billed in the next; a voided month is billed again.
    """
    first = datetime.date(year, month, 1)
    days = calendar.monthrange(year, month)[1]
    after = first + datetime.timedelta(days=days)
    allocations = list(
        BedAllocation.objects.filter(check_in__lt=after, occupied_until__gt=first)
        .exclude(status=BedAllocation.Status.CANCELLED)
        .select_related("company__apartment_quota", "bed__room__unit")
        .order_by("company", "name", "pk")
    )
    billed = set(
        BillLine.objects.filter(source__in=[_rent_source(a, first) for a in allocations])
        .exclude(bill__status=Bill.Status.VOID)
        .values_list("source", flat=True)
    )
    groups: dict[tuple, list] = {}
    for allocation in allocations:
        if _rent_source(allocation, first) in billed:
            continue
        quota = getattr(allocation.company, "apartment_quota", None)
        to_resident = quota is not None and quota.bill_to == ApartmentQuota.BillTo.RESIDENT
        groups.setdefault((allocation.company_id, allocation.name if to_resident else ""), []).append(allocation)
    bills = []
    for (company_id, resident), members in groups.items():
        lines = []
        for allocation in members:
            start, end = max(allocation.check_in, first), min(allocation.occupied_until, after)
            amount = (allocation.monthly_rent * (end - start).days / days).quantize(Decimal("0.01"), ROUND_HALF_UP)
            lines.append(
                LineDraft(
                    kind=BillLine.Kind.APARTMENT,
                    description=f"{allocation.bed} {allocation.name}",
                    period_start=start,
                    period_end=end - datetime.timedelta(days=1),
                    amount=amount,
                    source=_rent_source(allocation, first),
                )
            )
        bills.append(
            bill_schedule(
                company_id=company_id,
                resident_name=resident,
                draft=BillDraft(
                    period_start=first,
                    period_end=after - datetime.timedelta(days=1),
                    due_on=max(first.replace(day=5), on),
                    lines=tuple(lines),
                ),
            )
        )
    return bills


def apartment_rent_schedule(*, on: datetime.date) -> list[Bill]:
    """The daily job: the rent of this month's residents not billed yet."""
    return apartment_bills_issue(year=on.year, month=on.month, on=on)
