"""Reads of meters scoped to a tenant user: the meters of the units it leases, and its charges."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from leases.models import LeaseUnit
from tenants.selectors import scope_to_company

from .models import Meter, MeterReading, UtilityCharge, UtilityRun


def meter_list_for(*, company, on: datetime.date | None = None):
    """The meters of the units the company leases on ``on`` (today)."""
    on = on or timezone.localdate()
    units = LeaseUnit.objects.filter(lease__tenant=company, is_binding=True, starts_on__lte=on, ends_on__gte=on).values(
        "unit_id"
    )
    return Meter.objects.filter(unit_id__in=units).select_related("unit").order_by("kind", "serial")


def monthly_consumption(*, meters, months: int = 12, on: datetime.date | None = None) -> dict[int, list]:
    """Each meter's consumption by month over the last ``months`` months: one query."""
    on = on or timezone.localdate()
    first = (on.replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    by_meter: dict[int, dict] = defaultdict(dict)
    for row in (
        MeterReading.objects.filter(meter__in=meters, read_on__gte=first, read_on__lte=on)
        .annotate(month=TruncMonth("read_on"))
        .values("meter_id", "month")
        .annotate(used=Sum("consumption"))
        .order_by("meter_id", "month")
    ):
        by_meter[row["meter_id"]][row["month"]] = Decimal(row["used"])
    return {meter_id: sorted(months_used.items()) for meter_id, months_used in by_meter.items()}


def charge_list_for(*, user):
    """The posted utility charges: all for staff, its company's for a tenant user."""
    charges = UtilityCharge.objects.filter(run__status=UtilityRun.Status.POSTED).select_related("run", "meter", "bill")
    return scope_to_company(charges, user=user, company_field="company")
