"""Writes to the leasing pipeline."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from leases.models import Lease, Prospect, ProspectActivity

from .contracts import lease_create


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
