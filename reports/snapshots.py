"""The figures a report is built from, frozen as plain JSON (a snapshot).

A run computes its figures once, as of the period's end, into a snapshot; the PDF and the XLSX are
both drawn from that snapshot alone, so a run regenerated later from its stored snapshot prints the
same figures whatever has changed in the database or the code since. A snapshot holds only
strings, whole numbers, ``None``, lists and dicts (amounts as strings, to the fen), so that its
SHA-256 over canonical JSON is the same after a round trip through PostgreSQL's ``jsonb``.

Shape: ``figures`` (the summary: key, label, value, type, unit) and ``sections`` (a title, an
optional chart spec drawn by ``charts.chart_svg`` and an optional table of typed columns).
"""

import datetime
import hashlib
import json
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from billing.selectors import arrears_by_company
from core.dates import add_months
from core.version import code_version
from spaces.models import Building

from .dashboard import month_figures
from .figures import (
    ClusterFigures,
    OccupancyFigures,
    cluster_figures,
    leases_ending,
    leases_starting,
    occupancy_figures,
)
from .models import MonthlyFigures, ReportRun

FORMAT = 1
LARGEST_ARREARS = 10
TREND_MONTHS = 12


def _plain(value):
    """A JSON value that survives ``jsonb``: Decimal and dates as text."""
    if isinstance(value, (Decimal, datetime.date)):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    if isinstance(value, Promise):  # a lazily translated label
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def _figure(key: str, label, value, kind: str, unit: str = "") -> dict:
    return {"key": key, "label": str(label), "value": _plain(value), "type": kind, "unit": unit}


def _table(columns: list[tuple], rows, total=None) -> dict:
    """``columns``: (label, type) pairs; types are text, integer, area, money, money0, percent,
    number, date (``cells`` formats each)."""
    return {
        "columns": [[str(label), kind] for label, kind in columns],
        "rows": [_plain(list(row)) for row in rows],
        "total": _plain(list(total)) if total is not None else None,
    }


def _section(title, *, table: dict | None = None, chart: dict | None = None, note="", page_break=False) -> dict:
    return {"title": str(title), "note": str(note), "table": table, "chart": chart, "page_break": page_break}


def snapshot_hash(snapshot: dict) -> str:
    """SHA-256 of the snapshot's canonical JSON (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _buildings(run: ReportRun) -> list[Building]:
    return [run.building] if run.building_id else list(Building.objects.order_by("code"))


def snapshot_build(run: ReportRun) -> dict:
    """Compute the run's figures as of its period's end (in the run's language) into a snapshot."""
    builders = {
        ReportRun.Kind.OCCUPANCY: (_("Occupancy report"), _occupancy),
        ReportRun.Kind.CLUSTERS: (_("Industry-cluster report"), _clusters),
        ReportRun.Kind.BOARD: (_("Monthly business report"), _board),
    }
    title, builder = builders[run.kind]
    body = builder(run, _buildings(run))
    return {
        "format": FORMAT,
        "kind": run.kind,
        "title": str(title),
        "language": run.language,
        "period": {
            "type": run.period_type,
            "label": run.period_label,
            "start": run.period_start.isoformat(),
            "end": run.period_end.isoformat(),
        },
        "scope": run.scope_label,
        "building": run.building.code if run.building_id else None,
        "code_version": code_version(),
        **body,
    }


# --- occupancy --------------------------------------------------------------------------------------


def _occupancy_summary(f: OccupancyFigures) -> list[dict]:
    years, m2 = _("years"), "m²"
    apartments = f.apartments
    return [
        _figure("leasable_area", _("Leasable area"), f.leasable_area, "area", m2),
        _figure("leased_area", _("Let area"), f.leased_area, "area", m2),
        _figure("occupancy_by_area", _("Occupancy by area"), f.occupancy_by_area, "percent"),
        _figure("occupancy_by_count", _("Occupancy by count"), f.occupancy_by_count, "percent"),
        _figure("vacancy_by_area", _("Vacancy by area"), f.vacancy_by_area, "percent"),
        _figure("wale_by_area", _("WALE by area"), f.wale_by_area, "number", years),
        _figure("wale_by_income", _("WALE by income"), f.wale_by_income, "number", years),
        _figure("net_absorption", _("Net absorption"), f.net_absorption, "area", m2),
        _figure("new_leases", _("New leases"), f.new_leases.leases, "integer"),
        _figure("new_leases_area", _("New leases' area"), f.new_leases.area, "area", m2),
        _figure("expiries", _("Expiries in the period"), f.expiries_in_period.leases, "integer"),
        _figure("expiries_area", _("Area of the expiries"), f.expiries_in_period.area, "area", m2),
        _figure("units", _("Units let under leases"), f.unit_count, "integer"),
        _figure("leased_units", _("Units let"), f.leased_count, "integer"),
        _figure("beds", _("Talent-apartment beds"), apartments.beds, "integer"),
        _figure("occupied_beds", _("Talent-apartment beds let"), apartments.occupied_beds, "integer"),
        _figure("rooms", _("Apartment rooms"), apartments.rooms, "integer"),
        _figure("occupied_rooms", _("Apartment rooms let"), apartments.occupied_rooms, "integer"),
        _figure("waiting", _("Waiting list"), apartments.waiting, "integer"),
    ]


def _halls_section(f: OccupancyFigures) -> dict:
    return _section(
        _("Hall utilisation"),
        table=_table(
            [
                (_("hall"), "text"),
                (_("booked hours"), "number"),
                (_("opening hours"), "integer"),
                (_("utilisation"), "percent"),
            ],
            [(u.hall.name, u.booked_hours.quantize(Decimal("0.1")), int(u.open_hours), u.rate) for u in f.halls],
        ),
    )


def _expiry_section(f: OccupancyFigures) -> dict:
    quarters = f.expiry_profile
    return _section(
        _("Expiry profile"),
        chart={"type": "expiry", "quarters": [[q.label, _plain(q.area)] for q in quarters]},
        table=_table(
            [(_("quarter"), "text"), (_("leases"), "integer"), (_("area (m²)"), "area")],
            [(q.label, q.leases, q.area) for q in quarters],
        ),
    )


def _occupancy(run: ReportRun, buildings: list[Building]) -> dict:
    f = occupancy_figures(buildings=buildings, period_start=run.period_start, period_end=run.period_end)
    sections = [_halls_section(f), _expiry_section(f)]
    if run.building_id:
        b = f.buildings[0]
        floors = [[bar.label, _plain(bar.leased), _plain(bar.reserved), _plain(bar.vacant)] for bar in b.floors]
        sections += [
            _section(
                f"{_('Stacking plan')} · {b.building.name}",
                chart={"type": "stacking", "floors": floors},
                page_break=True,
            ),
            _section(
                _("Vacant units"),
                page_break=True,
                table=_table(
                    [
                        (_("floor"), "text"),
                        (_("unit"), "text"),
                        (_("use"), "text"),
                        (_("status"), "text"),
                        ("m²", "area"),
                    ],
                    [
                        (
                            r.unit.floor.label,
                            r.unit.code,
                            r.unit.get_use_display(),
                            r.status_label,
                            r.unit.leasable_area,
                        )
                        for r in b.vacant_rows
                    ],
                ),
            ),
        ]
    else:
        bars = [
            [b.building.code, _plain(b.roll.leased_area), _plain(b.roll.total_area - b.roll.leased_area)]
            for b in f.buildings
        ]
        sections.append(
            _section(
                _("Buildings"),
                page_break=True,
                chart={"type": "buildings", "bars": bars},
                table=_buildings_table(f),
            )
        )
    return {"figures": _occupancy_summary(f), "sections": sections}


def _buildings_table(f: OccupancyFigures) -> dict:
    return _table(
        [
            (_("building"), "text"),
            (_("Leasable area"), "area"),
            (_("Let area"), "area"),
            (_("Occupancy by area"), "percent"),
            (_("vacant units"), "integer"),
            (_("WALE by area"), "number"),
        ],
        [
            (
                f"{b.building.code} {b.building.name}",
                b.roll.total_area,
                b.roll.leased_area,
                b.roll.occupancy_by_area,
                len(b.vacant_rows),
                b.roll.wale_by_area,
            )
            for b in f.buildings
        ],
        total=(_("Total"), f.leasable_area, f.leased_area, f.occupancy_by_area, None, f.wale_by_area),
    )


# --- industry clusters ------------------------------------------------------------------------------


def _cluster_table(f: ClusterFigures) -> dict:
    def cells(row):
        return (
            row.companies,
            row.let_area,
            row.share,
            row.headcount,
            row.output_value,
            row.growth,
            row.listed,
            row.incubated,
        )

    total = f.total
    return _table(
        [
            (_("industry cluster"), "text"),
            (_("companies"), "integer"),
            (_("let area (m²)"), "area"),
            (_("share"), "percent"),
            (_("headcount"), "integer"),
            (_("output %(year)s (CNY)") % {"year": f.year}, "money0"),
            (_("growth"), "percent"),
            (_("listed"), "integer"),
            (_("incubated"), "integer"),
        ],
        [(row.cluster.name, *cells(row)) for row in f.rows if row.companies],
        total=(_("Total"), *cells(total)),
    )


def _lease_rows(leases, day_attribute: str):
    return [(lease.tenant.name, lease.number, getattr(lease, day_attribute), lease.leased_area) for lease in leases]


def _clusters(run: ReportRun, buildings: list[Building]) -> dict:
    f = cluster_figures(buildings=buildings, period_start=run.period_start, period_end=run.period_end)
    shown = [row for row in f.rows if row.let_area > 0]
    with_output = [row for row in f.rows if row.output_value or row.previous_output_value]
    total = f.total
    lease_columns = [(_("company"), "text"), (_("lease"), "text"), (_("starts on"), "date"), ("m²", "area")]
    return {
        "figures": [
            _figure("companies", _("Tenant companies"), total.companies, "integer"),
            _figure("let_area", _("Let area"), total.let_area, "area", "m²"),
            _figure("headcount", _("Headcount"), total.headcount, "integer"),
            _figure(
                "output_value", _("Output value %(year)s") % {"year": f.year}, total.output_value, "money0", _("CNY")
            ),
            _figure("listed", _("Listed companies"), total.listed, "integer"),
            _figure("incubated", _("Incubated in the park"), total.incubated, "integer"),
        ],
        "sections": [
            _section(
                _("Clusters"),
                table=_cluster_table(f),
                chart={
                    "type": "cluster_area",
                    "slices": [[r.cluster.name, r.cluster.colour, _plain(r.let_area)] for r in shown],
                },
            ),
            _section(
                _("Output value by cluster"),
                chart={
                    "type": "cluster_output",
                    "year": f.year,
                    "bars": [
                        [r.cluster.name, _plain(r.previous_output_value), _plain(r.output_value)] for r in with_output
                    ],
                },
            ),
            _section(
                _("Park statistics filed for the period"),
                note=_("Revenue and tax of the quarters within the period, from the accepted statistics filings."),
                table=_table(
                    [(_("industry cluster"), "text"), (_("revenue (10k CNY)"), "money"), (_("tax (10k CNY)"), "money")],
                    [(row.cluster.name, row.revenue, row.tax) for row in f.rows if row.companies],
                    total=(_("Total"), total.revenue, total.tax),
                ),
            ),
            _section(_("Move-ins in the period"), table=_table(lease_columns, _lease_rows(f.move_ins, "starts_on"))),
            _section(
                _("Move-outs in the period"),
                table=_table(
                    [*lease_columns[:2], (_("last day"), "date"), ("m²", "area")], _lease_rows(f.move_outs, "last_day")
                ),
            ),
            _section(
                _("Partner agreements and milestones"),
                table=_table(
                    [
                        (_("partner"), "text"),
                        (_("agreement"), "text"),
                        (_("status"), "text"),
                        (_("done"), "integer"),
                        (_("open"), "integer"),
                        (_("overdue"), "integer"),
                    ],
                    [
                        (
                            a.agreement.partner.display_name,
                            a.agreement.title,
                            a.agreement.get_status_display(),
                            a.done,
                            a.open,
                            a.overdue,
                        )
                        for a in f.agreements
                    ],
                ),
            ),
        ],
    }


# --- the board pack ---------------------------------------------------------------------------------


def _month_of_figures(month: datetime.date, on: datetime.date) -> dict:
    """The dashboard's figures of the month: the frozen row once the month is final, else computed
    by the same function the nightly job uses."""
    frozen = MonthlyFigures.objects.filter(month=month, building=None, final=True).first()
    return frozen.figures if frozen else month_figures(month=month, on=on)[None]


def _board(run: ReportRun, buildings: list[Building]) -> dict:
    month, end = run.period_start, run.period_end
    dash = _month_of_figures(month, end)
    occupancy = occupancy_figures(buildings=buildings, period_start=month, period_end=end)
    clusters = cluster_figures(buildings=buildings, period_start=month, period_end=end)
    trend_start = add_months(month, -(TREND_MONTHS - 1))
    frozen = {
        row.month: row.figures
        for row in MonthlyFigures.objects.filter(building=None, month__range=(trend_start, month))
    }
    frozen[month] = dash
    months = [add_months(trend_start, n) for n in range(TREND_MONTHS)]
    arrears = dash.get("arrears", {})
    new_leases = leases_starting(buildings, month, end).select_related("tenant").order_by("starts_on", "number")
    expiries = leases_ending(buildings, month, end).select_related("tenant").order_by("ends_on", "number")
    largest = arrears_by_company(on=end)[:LARGEST_ARREARS]
    m2, cny = "m²", _("CNY")
    return {
        "figures": [
            _figure("leasable_area", _("Leasable area"), dash["leasable_area"], "area", m2),
            _figure("leased_area", _("Let area"), dash["leased_area"], "area", m2),
            _figure("occupancy_by_area", _("Occupancy by area"), dash["occupancy_by_area"], "percent"),
            _figure("occupancy_by_count", _("Occupancy by count"), dash["occupancy_by_count"], "percent"),
            _figure("monthly_rent", _("Passing rent a month"), dash["monthly_rent"], "money", cny),
            _figure("average_rent", _("Average rent (CNY/m²/month)"), dash["average_rent"], "money"),
            _figure("billed", _("Billed, due in the month"), dash["billed"], "money", cny),
            _figure("collected", _("Collected of it"), dash["collected"], "money", cny),
            _figure("collection_rate", _("Collection rate"), dash["collection_rate"], "percent"),
            _figure("arrears", _("Arrears at the month's end"), arrears.get("total"), "money", cny),
            _figure("net_absorption", _("Net absorption"), occupancy.net_absorption, "area", m2),
            _figure("new_leases", _("New leases"), occupancy.new_leases.leases, "integer"),
            _figure("expiries", _("Expiries in the period"), occupancy.expiries_in_period.leases, "integer"),
            _figure("wale_by_area", _("WALE by area"), occupancy.wale_by_area, "number", _("years")),
            _figure("occupied_beds", _("Talent-apartment beds let"), dash["occupied_beds"], "integer"),
            _figure("beds", _("Talent-apartment beds"), dash["beds"], "integer"),
            _figure("waiting", _("Waiting list"), dash["waiting"], "integer"),
        ],
        "sections": [
            _section(
                _("The last twelve months"),
                chart={
                    "type": "trend",
                    "months": [m.strftime("%Y-%m") for m in months],
                    "series": [
                        [str(_("Occupancy by area")), [frozen.get(m, {}).get("occupancy_by_area") for m in months]],
                        [str(_("Collection rate")), [frozen.get(m, {}).get("collection_rate") for m in months]],
                    ],
                },
                table=_table(
                    [
                        (_("month"), "text"),
                        (_("Occupancy by area"), "percent"),
                        (_("Passing rent a month"), "money"),
                        (_("Collection rate"), "percent"),
                        (_("Arrears"), "money"),
                    ],
                    [
                        (
                            m.strftime("%Y-%m"),
                            frozen.get(m, {}).get("occupancy_by_area"),
                            frozen.get(m, {}).get("monthly_rent"),
                            frozen.get(m, {}).get("collection_rate"),
                            frozen.get(m, {}).get("arrears", {}).get("total"),
                        )
                        for m in months
                    ],
                ),
            ),
            _section(
                _("Arrears by age"),
                table=_table(
                    [
                        (_("1–30 days"), "money"),
                        (_("31–60 days"), "money"),
                        (_("61–90 days"), "money"),
                        (_("over 90 days"), "money"),
                        (_("Total"), "money"),
                    ],
                    [[arrears.get(key) for key in ("days_0_30", "days_31_60", "days_61_90", "days_over_90", "total")]],
                ),
            ),
            _section(
                _("Largest arrears"),
                table=_table(
                    [
                        (_("company"), "text"),
                        (_("1–30 days"), "money"),
                        (_("31–60 days"), "money"),
                        (_("61–90 days"), "money"),
                        (_("over 90 days"), "money"),
                        (_("Total"), "money"),
                    ],
                    [
                        (r.company.name, r.days_0_30, r.days_31_60, r.days_61_90, r.days_over_90, r.total)
                        for r in largest
                    ],
                ),
            ),
            _section(_("Buildings"), table=_buildings_table(occupancy), page_break=True),
            _section(_("Clusters"), table=_cluster_table(clusters)),
            _section(
                _("New leases"),
                table=_table(
                    [
                        (_("company"), "text"),
                        (_("lease"), "text"),
                        (_("starts on"), "date"),
                        (_("ends on"), "date"),
                        ("m²", "area"),
                    ],
                    [
                        (lease.tenant.name, lease.number, lease.starts_on, lease.ends_on, lease.leased_area)
                        for lease in new_leases
                    ],
                ),
            ),
            _section(
                _("Expiries in the period"),
                table=_table(
                    [(_("company"), "text"), (_("lease"), "text"), (_("last day"), "date"), ("m²", "area")],
                    _lease_rows(expiries, "last_day"),
                ),
            ),
        ],
    }
