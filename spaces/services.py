"""Writes to the space inventory: buildings, floors and units."""

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from .models import Building, Floor, Unit


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
