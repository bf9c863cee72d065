"""Writes to the space inventory and to leases. Admin, portal, API and commands all come here."""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from tenants.models import TenantCompany

from .models import Building, Floor, Lease, LeaseUnit, Prospect, ProspectActivity, Unit


@transaction.atomic
def building_save(*, building: Building) -> Building:
    building.full_clean()
    building.save()
    return building


def floor_units_check(*, floor: Floor, units: Sequence[Unit], deleted: Sequence[Unit] = ()) -> None:
    """Refuse changes to a floor's units that break a rule across its rows.

    ``units`` are the units as they will be saved and ``deleted`` those to remove: codes must stay
    unique in the building, leased units cannot be removed, and the units may not cover more than
    the floor's leasable area.
    """
    errors: dict[str, list[str]] = {}
    changing = {unit.pk for unit in [*units, *deleted] if unit.pk}
    codes = [unit.code for unit in units]
    repeated = {code for code in codes if codes.count(code) > 1}
    if floor.building_id:
        repeated |= set(
            Unit.objects.filter(building_id=floor.building_id, code__in=codes)
            .exclude(pk__in=changing)
            .values_list("code", flat=True)
        )
    if repeated:
        errors["code"] = [
            _("The building already has a unit coded %(codes)s.") % {"codes": ", ".join(sorted(repeated))}
        ]
    held = sorted(unit.code for unit in deleted if unit.pk and unit.lease_units.exists())
    if held:
        errors.setdefault("code", []).append(
            _("Units %(codes)s appear on leases and cannot be deleted.") % {"codes": ", ".join(held)}
        )
    others = Unit.objects.filter(floor_id=floor.pk).exclude(pk__in=changing) if floor.pk else Unit.objects.none()
    total = (others.aggregate(total=Sum("leasable_area"))["total"] or Decimal("0")) + sum(
        (unit.leasable_area or Decimal("0") for unit in units), Decimal("0")
    )
    if floor.leasable_area is not None and total > floor.leasable_area:
        errors["leasable_area"] = [
            _("The units on floor %(floor)s would cover %(total)s m², more than its leasable area of %(area)s m².")
            % {"floor": floor.label, "total": f"{total:,.2f}", "area": f"{floor.leasable_area:,.2f}"}
        ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def floor_save(*, floor: Floor, units: Sequence[Unit] = (), deleted: Sequence[Unit] = ()) -> Floor:
    """Save a floor together with changes to its units; the rules are checked on the final state."""
    if floor.pk:
        Floor.objects.select_for_update().get(pk=floor.pk)  # serialise changes to one floor's units
    floor.full_clean()
    floor_units_check(floor=floor, units=units, deleted=deleted)
    floor.save()
    for unit in deleted:
        unit.delete()
    for unit in units:
        unit.floor = floor
        unit.building_id = floor.building_id
        unit.full_clean()
        unit.save()
    return floor


def unit_save(*, unit: Unit) -> Unit:
    floor_save(floor=unit.floor, units=[unit])
    return unit


@transaction.atomic
def lease_create(
    *,
    number: str,
    tenant: TenantCompany,
    units: Sequence[Unit],
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> Lease:
    """A draft lease: it holds no unit until it is signed."""
    if not units:
        raise ValidationError({"units": _("A lease needs at least one unit.")})
    lease = Lease(number=number, tenant=tenant, starts_on=starts_on, ends_on=ends_on)
    lease.full_clean()
    lease.save()
    LeaseUnit.objects.bulk_create(
        LeaseUnit(lease=lease, unit=unit, starts_on=starts_on, ends_on=ends_on, is_binding=False) for unit in units
    )
    return lease


def lease_conflicts(*, lease: Lease) -> list[LeaseUnit]:
    """Binding lease units of other leases that overlap ``lease``'s units and term."""
    return list(
        LeaseUnit.objects.filter(
            is_binding=True,
            unit__in=lease.lease_units.values("unit"),
            starts_on__lte=lease.ends_on,
            ends_on__gte=lease.starts_on,
        )
        .exclude(lease=lease)
        .select_related("unit", "lease__tenant")
        .order_by("unit__code", "starts_on")
    )


@transaction.atomic
def lease_sign(*, lease: Lease, signed_on: datetime.date) -> Lease:
    """Sign a draft lease: from now on its units are held for its term.

    The units are locked first, so of two leases signed at once for one unit exactly one wins, on
    SQLite too; on PostgreSQL the exclusion constraint on LeaseUnit is the last word.
    """
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    if lease.status != Lease.Status.DRAFT:
        raise ValidationError({"status": _("Only a draft lease can be signed.")})
    list(Unit.objects.select_for_update().filter(lease_units__lease=lease).order_by("pk"))
    conflicts = lease_conflicts(lease=lease)
    if conflicts:
        raise ValidationError(
            {
                "units": [
                    _("Unit %(unit)s is already let to %(tenant)s under lease %(lease)s from %(start)s to %(end)s.")
                    % {
                        "unit": conflict.unit.code,
                        "tenant": conflict.lease.tenant.display_name,
                        "lease": conflict.lease.number,
                        "start": conflict.starts_on.isoformat(),
                        "end": conflict.ends_on.isoformat(),
                    }
                    for conflict in conflicts
                ]
            }
        )
    lease.status = Lease.Status.SIGNED
    lease.signed_on = signed_on
    lease.full_clean()
    lease.save(update_fields=["status", "signed_on"])
    lease.lease_units.update(is_binding=True, starts_on=lease.starts_on, ends_on=lease.ends_on)
    Prospect.objects.filter(lease=lease).update(stage=Prospect.Stage.SIGNED)
    return lease


@transaction.atomic
def prospect_save(*, prospect: Prospect) -> Prospect:
    prospect.full_clean()
    prospect.save()
    return prospect


@transaction.atomic
def prospect_activity_save(*, activity: ProspectActivity) -> ProspectActivity:
    activity.full_clean()
    activity.save()
    return activity


@transaction.atomic
def prospect_convert_to_lease(
    *, prospect: Prospect, number: str, starts_on: datetime.date, ends_on: datetime.date
) -> Lease:
    """Turn a deal into a draft lease of its company over its units of interest, without retyping."""
    prospect = Prospect.objects.select_for_update().get(pk=prospect.pk)
    if prospect.lease_id:
        raise ValidationError(_("This deal already has lease %(number)s.") % {"number": prospect.lease.number})
    if prospect.stage == Prospect.Stage.LOST:
        raise ValidationError(_("A lost deal cannot become a lease."))
    units = list(prospect.units_of_interest.order_by("code"))
    if not units:
        raise ValidationError(_("Choose the units of interest before converting the deal into a lease."))
    lease = lease_create(number=number, tenant=prospect.company, units=units, starts_on=starts_on, ends_on=ends_on)
    prospect.lease = lease
    prospect.save(update_fields=["lease", "updated_at"])
    return lease
