"""The managers' dashboard (驾驶舱). Month by month figures are frozen into ``MonthlyFigures`` by a
nightly job (``figures_freeze``) from the selectors the reports and the rent roll use, so a trend
of two years reads 25 rows instead of replaying the ledger. This month's row, arrears by age
included, is recomputed by a worker when it is an hour old; the pipeline, halls by weekday and open
service requests are read live. A view takes a fixed number of queries whatever the portfolio's size."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import ExtractIsoWeekDay
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

from apartments.selectors import apartment_occupancy
from billing.models import Bill
from billing.selectors import arrears_by_company, bills_as_of
from core.dates import add_months
from core.jobs import job_queue
from core.money import fen
from events.models import Booking
from events.selectors import hall_utilisation
from filings.selectors import PeriodCompletion, latest_period, period_completion
from leases.models import LeaseUnit
from leases.selectors import pipeline_by_stage, rent_roll
from servicedesk.models import ServiceRequest
from spaces.models import Building, Unit
from tenants.models import IndustryCluster

from .models import MonthlyFigures

ZERO = Decimal("0")
TREND_MONTHS = 24
REQUEST_AGES = ((0, 2), (3, 7), (8, 30), (31, None))  # days open
RESPONSE_DUE = datetime.timedelta(hours=24)  # a request is answered within a day (the SLA)


def _percent(part: Decimal, whole: Decimal) -> str | None:
    return str((part / whole * 100).quantize(Decimal("0.1"))) if whole else None


def _month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _cluster_areas(buildings, on: datetime.date) -> dict[str, Decimal]:
    """Let area on ``on`` by the tenants' industry cluster (one query)."""
    rows = (
        LeaseUnit.objects.filter(
            unit__building__in=buildings,
            unit__use__in=Unit.LEASED_USES,
            is_binding=True,
            starts_on__lte=on,
            ends_on__gte=on,
        )
        .values(cluster=F("lease__tenant__primary_cluster__code"))
        .annotate(area=Sum("unit__leasable_area"))
    )
    return {row["cluster"] or "": Decimal(row["area"]).quantize(Decimal("0.01")) for row in rows}


def _use_counts() -> dict:
    return {"leasable_area": ZERO, "leased_area": ZERO, "units": 0, "leased_units": 0}


def _occupancy(building: Building, on: datetime.date) -> dict:
    """The building's rent-roll figures on ``on``: in all, per use let by lease (office, retail), and
    the expiries per quarter ahead."""
    roll = rent_roll(building=building, on=on)
    uses = {use: _use_counts() for use in Unit.LEASED_USES}
    for row in roll.lettable_rows:
        counts = uses[row.unit.use]
        counts["leasable_area"] += row.unit.leasable_area
        counts["units"] += 1
        if row.unit.occupancy_status == Unit.Status.LEASED:
            counts["leased_area"] += row.unit.leasable_area
            counts["leased_units"] += 1
    return {
        "leasable_area": roll.total_area,
        "leased_area": roll.leased_area,
        "units": len(roll.lettable_rows),
        "leased_units": len(roll.leased_rows),
        "monthly_rent": roll.monthly_rent,
        "uses": uses,
        "expiries": [[quarter.label, quarter.leases, quarter.area] for quarter in roll.expiries],
    }


def _sum_occupancy(parts: list[dict]) -> dict:
    total = {"leasable_area": ZERO, "leased_area": ZERO, "units": 0, "leased_units": 0, "monthly_rent": ZERO}
    uses = {use: _use_counts() for use in Unit.LEASED_USES}
    expiries: dict[str, list] = {}
    for part in parts:
        for key in total:
            total[key] += part[key]
        for use, counts in part["uses"].items():
            for key, value in counts.items():
                uses[use][key] += value
        for label, leases, area in part["expiries"]:
            quarter = expiries.setdefault(label, [label, 0, ZERO])
            quarter[1] += leases
            quarter[2] += area
    return {**total, "uses": uses, "expiries": list(expiries.values())}


def _with_rates(figures: dict, buildings, month: datetime.date, on: datetime.date) -> dict:
    """Rates beside the counts, occupancy by use, and every amount as text (JSON keeps it exact).
    Each use is measured its own way: offices and shops by let area (and count), talent apartments
    by beds let, halls by hours booked over opening hours in the month so far."""
    uses = figures.pop("uses")
    figures["occupancy_by_area"] = _percent(figures["leased_area"], figures["leasable_area"])
    figures["occupancy_by_count"] = _percent(Decimal(figures["leased_units"]), Decimal(figures["units"]))
    figures["average_rent"] = (
        str((figures["monthly_rent"] / figures["leased_area"]).quantize(Decimal("0.01")))
        if figures["leased_area"]
        else None
    )
    beds = apartment_occupancy(on=on, buildings=buildings)
    halls = hall_utilisation(first_day=month, last_day=on, buildings=buildings)
    hall_rate = _percent(sum((h.booked_hours for h in halls), ZERO), sum((h.open_hours for h in halls), ZERO))
    bed_rate = None if beds.bed_rate is None else str(beds.bed_rate)
    figures["by_use"] = {
        **{use: _percent(c["leased_area"], c["leasable_area"]) for use, c in uses.items()},
        Unit.Use.APARTMENT: bed_rate,
        Unit.Use.HALL: hall_rate,
    }
    figures["by_use_count"] = {
        **{use: _percent(Decimal(c["leased_units"]), Decimal(c["units"])) for use, c in uses.items()},
        Unit.Use.APARTMENT: bed_rate,
        Unit.Use.HALL: hall_rate,
    }
    figures["expiries"] = [[label, leases, str(area)] for label, leases, area in figures["expiries"]]
    return {key: str(value) if isinstance(value, Decimal) else value for key, value in figures.items()}


def _collection(month: datetime.date, on: datetime.date) -> dict:
    """What the bills falling due in the month asked, and what of it was paid by ``on``."""
    bills = bills_as_of(
        Bill.objects.exclude(status__in=[Bill.Status.SCHEDULED, Bill.Status.VOID]).filter(
            due_on__range=(month, _month_end(month)), issued_on__lte=on
        ),
        on=on,
    ).aggregate(billed=Sum("due_then"), collected=Sum("paid_then"))
    billed, collected = fen(bills["billed"] or ZERO), fen(bills["collected"] or ZERO)
    return {"billed": str(billed), "collected": str(collected), "collection_rate": _percent(collected, billed)}


AGES = ("days_0_30", "days_31_60", "days_61_90", "days_over_90")


def _aged(rows) -> dict:
    buckets = {key: fen(sum((getattr(row, key) for row in rows), ZERO)) for key in AGES}
    return {**{key: str(value) for key, value in buckets.items()}, "total": str(sum(buckets.values(), ZERO))}


def _arrears(on: datetime.date) -> dict:
    """Arrears by age on ``on``, in all and per industry cluster of the debtors (one ledger query: it
    takes seconds at scale, so it is computed with the month's figures, never in a page view)."""
    rows = arrears_by_company(on=on)
    codes = dict(IndustryCluster.objects.values_list("pk", "code"))
    by_cluster: dict[str, list] = {}
    for row in rows:
        by_cluster.setdefault(codes.get(row.company.primary_cluster_id, ""), []).append(row)
    return {**_aged(rows), "by_cluster": {code: _aged(group) for code, group in by_cluster.items()}}


def month_figures(*, month: datetime.date, on: datetime.date) -> dict[int | None, dict]:
    """Each building's figures and the portfolio's (key ``None``) for ``month``, as of ``on`` (its
    last day, or today for the current month)."""
    buildings = list(Building.objects.order_by("code"))
    result: dict[int | None, dict] = {}
    parts = []
    for building in buildings:
        occupancy = _occupancy(building, on)
        parts.append(occupancy)
        clusters = _cluster_areas([building], on)
        result[building.pk] = {
            **_with_rates(dict(occupancy), [building], month, on),
            "clusters": {k: str(v) for k, v in clusters.items()},
        }
    apartments = apartment_occupancy(on=on)
    result[None] = {
        **_with_rates(_sum_occupancy(parts), None, month, on),
        "clusters": {k: str(v) for k, v in _cluster_areas(buildings, on).items()},
        **_collection(month, on),
        "arrears": _arrears(on),
        "beds": apartments.beds,
        "occupied_beds": apartments.occupied_beds,
        "waiting": apartments.waiting,
    }
    return result


@transaction.atomic
def figures_freeze(*, on: datetime.date, months: int = TREND_MONTHS) -> int:
    """Freeze each of the last ``months`` ended months not frozen yet, and refresh the current
    month's provisional figures. Idempotent: a month once frozen final is never computed again.
    Returns how many months were computed."""
    current = on.replace(day=1)
    final = set(MonthlyFigures.objects.filter(final=True, building=None).values_list("month", flat=True))
    computed = 0
    for back in range(months, -1, -1):
        month = add_months(current, -back)
        if month in final:
            continue
        is_final = month < current
        for building_id, figures in month_figures(month=month, on=_month_end(month) if is_final else on).items():
            MonthlyFigures.objects.update_or_create(
                month=month, building_id=building_id, defaults={"figures": figures, "final": is_final}
            )
        computed += 1
    return computed


@dataclass
class Dashboard:
    on: datetime.date
    building: Building | None
    use: str | None
    cluster: IndustryCluster | None
    months: list[datetime.date]
    trend: list[dict]  # the frozen figures of each month, oldest first (empty dict: not computed yet)
    clusters: list[tuple[IndustryCluster | None, str]]
    arrears: dict
    pipeline: list
    halls: dict
    requests: dict
    computed_at: datetime.datetime | None = None  # when this month's figures were computed
    statistics: PeriodCompletion | None = None  # the park statistics being filed (or last filed)

    @property
    def latest(self) -> dict:
        """This month's figures (provisional until the month ends)."""
        return self.trend[-1] if self.trend else {}

    @property
    def occupancy(self) -> dict:
        """The occupancy card: the chosen use's rates, or the whole lettable area's."""
        latest = self.latest
        if self.use:
            return {
                "by_area": latest.get("by_use", {}).get(self.use),
                "by_count": latest.get("by_use_count", {}).get(self.use),
            }
        return {"by_area": latest.get("occupancy_by_area"), "by_count": latest.get("occupancy_by_count")}

    @property
    def use_label(self) -> str:
        """Offices and shops are counted by area, apartments by beds, halls by hours booked."""
        return str(USE_MEASURES[self.use]) if self.use else ""

    @property
    def cluster_area(self) -> str | None:
        """The chosen cluster's let area this month."""
        return self.latest.get("clusters", {}).get(self.cluster.code, "0") if self.cluster and self.latest else None

    def charts(self) -> dict:
        """What the page's charts draw, as plain JSON (the page embeds it; dashboard.js draws it)."""
        if self.use in Unit.LEASED_USES:
            occupancy = [
                ["area", [row.get("by_use", {}).get(self.use) for row in self.trend]],
                ["count", [row.get("by_use_count", {}).get(self.use) for row in self.trend]],
            ]
        elif self.use:
            occupancy = [[self.use_label, [row.get("by_use", {}).get(self.use) for row in self.trend]]]
        else:
            occupancy = [
                ["area", [row.get("occupancy_by_area") for row in self.trend]],
                ["count", [row.get("occupancy_by_count") for row in self.trend]],
            ] + [[str(USE_MEASURES[use]), [row.get("by_use", {}).get(use) for row in self.trend]] for use in USES]
        return {
            "months": [month.strftime("%Y-%m") for month in self.months],
            "occupancy": occupancy,
            "monthly_rent": [row.get("monthly_rent") for row in self.trend],
            "collection_rate": [row.get("collection_rate") for row in self.trend],
            "arrears": [row.get("arrears", {}).get("total") for row in self.trend],
            "cluster_area": [row.get("clusters", {}).get(self.cluster.code) for row in self.trend]
            if self.cluster
            else None,
            "clusters": [[cluster.name if cluster else "—", area] for cluster, area in self.clusters],
            "expiries": [[label, area] for label, _leases, area in self.latest.get("expiries", [])],
            "pipeline": [[str(stage.label), stage.reached] for stage in self.pipeline if stage.stage != "lost"],
            "halls": {"names": list(self.halls), "hours": [row for row in self.halls.values()]},
        }


USES = (Unit.Use.OFFICE, Unit.Use.RETAIL, Unit.Use.APARTMENT, Unit.Use.HALL)
USE_MEASURES = {
    Unit.Use.OFFICE: _("offices, by let area"),
    Unit.Use.RETAIL: _("shops, by let area"),
    Unit.Use.APARTMENT: _("talent apartments, by beds let"),
    Unit.Use.HALL: _("halls, by hours booked"),
}
REFRESH_AFTER = datetime.timedelta(hours=1)
REFRESH_QUEUED = "dashboard:refresh-queued"


def current_month_refresh(*, on: datetime.date) -> int:
    """Recompute this month's provisional figures now (a worker does it when the page asks)."""
    month = on.replace(day=1)
    with transaction.atomic():
        figures = month_figures(month=month, on=on)
        for building_id, one in figures.items():
            MonthlyFigures.objects.update_or_create(
                month=month, building_id=building_id, defaults={"figures": one, "final": False}
            )
    return len(figures)


def current_month_refresh_queue(*, on: datetime.date) -> bool:
    """When this month's figures are missing or older than an hour, ask a worker to recompute them:
    at the scale of 50 buildings that takes seconds, which no page view should wait for. Asked once
    per ten minutes at most; with the broker down the nightly job still does it."""
    fresh = MonthlyFigures.objects.filter(
        month=on.replace(day=1), building=None, computed_at__gte=timezone.now() - REFRESH_AFTER
    )
    if fresh.exists() or not cache.add(REFRESH_QUEUED, True, timeout=600):
        return False
    try:
        job_queue("reports.figures_refresh_current")
    except (KombuOperationalError, RedisError, OSError):
        cache.delete(REFRESH_QUEUED)
        return False
    return True


def _halls_by_weekday(on: datetime.date, weeks: int = 12) -> dict:
    """Hours booked (approved or completed) per hall and ISO weekday over the last ``weeks`` weeks."""
    since = timezone.make_aware(datetime.datetime.combine(on - datetime.timedelta(weeks=weeks), datetime.time()))
    rows = (
        Booking.objects.filter(status__in=[Booking.Status.APPROVED, Booking.Status.COMPLETED], starts_at__gte=since)
        .annotate(weekday=ExtractIsoWeekDay("starts_at"))
        .values("hall__name_zh", "weekday")
        .annotate(seconds=Sum(F("ends_at") - F("starts_at")))
        .order_by("hall__name_zh", "weekday")
    )
    halls: dict[str, list[float]] = {}
    for row in rows:
        hours = halls.setdefault(row["hall__name_zh"], [0.0] * 7)
        hours[row["weekday"] - 1] = round(row["seconds"].total_seconds() / 3600, 1)
    return halls


def _open_requests(now: datetime.datetime) -> dict:
    """Open service requests by days open, and how many were not answered within the SLA (one query)."""
    open_statuses = [ServiceRequest.Status.OPEN, ServiceRequest.Status.ASSIGNED, ServiceRequest.Status.IN_PROGRESS]
    ages = {}
    for low, high in REQUEST_AGES:
        window = Q(created_at__lte=now - datetime.timedelta(days=low))
        if high is not None:
            window &= Q(created_at__gt=now - datetime.timedelta(days=high + 1))
        ages[f"{low}-{high or ''}"] = Count("pk", filter=window)
    late = Q(responded_at__isnull=True, created_at__lt=now - RESPONSE_DUE) | Q(
        responded_at__gt=F("created_at") + RESPONSE_DUE
    )
    return ServiceRequest.objects.filter(status__in=open_statuses).aggregate(**ages, breaches=Count("pk", filter=late))


def dashboard(
    *,
    on: datetime.date,
    building: Building | None = None,
    use: str | None = None,
    cluster: IndustryCluster | None = None,
    months: int = TREND_MONTHS,
) -> Dashboard:
    """The dashboard as of ``on``, for one building or the portfolio, one use and one cluster when
    chosen: a fixed number of queries once this month's figures are fresh."""
    current_month_refresh_queue(on=on)
    first = add_months(on.replace(day=1), -months)
    rows = list(MonthlyFigures.objects.filter(month__gte=first, building=building).order_by("month"))
    stored = {row.month: row.figures for row in rows}
    current = next((row for row in rows if row.month == on.replace(day=1)), None)
    month_list = [add_months(first, n) for n in range(months + 1)]
    latest = stored.get(on.replace(day=1), {})
    clusters = IndustryCluster.objects.in_bulk(field_name="code")
    cluster_rows = sorted(
        ((clusters.get(code), area) for code, area in latest.get("clusters", {}).items()),
        key=lambda pair: Decimal(pair[1]),
        reverse=True,
    )
    arrears = latest.get("arrears", {})
    if cluster:
        arrears = arrears.get("by_cluster", {}).get(cluster.code) or {key: "0.00" for key in (*AGES, "total")}
    return Dashboard(
        on=on,
        building=building,
        use=use,
        cluster=cluster,
        months=month_list,
        trend=[stored.get(month, {}) for month in month_list],
        clusters=cluster_rows,
        arrears=arrears,
        pipeline=pipeline_by_stage(),
        halls=_halls_by_weekday(on),
        requests=_open_requests(timezone.now()),
        computed_at=current.computed_at if current else None,
        statistics=period_completion(period=period, on=on) if (period := latest_period()) else None,
    )
