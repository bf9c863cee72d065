"""How leases hear of what happens in the apps below them."""

from billing.signals import bill_voided

from .models import Lease
from .services import lease_schedule_regenerate


def _bill_period_again(sender, bill, **kwargs) -> None:
    """A voided bill of a lease: the lease's schedule bills its period again."""
    if bill.lease_id:
        lease_schedule_regenerate(lease=Lease.objects.get(pk=bill.lease_id))


def connect_receivers() -> None:
    bill_voided.connect(_bill_period_again, dispatch_uid="leases-bill-voided")
