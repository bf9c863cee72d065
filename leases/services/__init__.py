"""Every write to leases and the leasing pipeline. Admin, portal, API, tasks and commands all come
here, so validation and audit are the same everywhere."""

from .alerts import alerts_send
from .contracts import (
    conflict_messages,
    hold_start,
    lease_amend,
    lease_create,
    lease_renew,
    lease_save,
    lease_schedule_regenerate,
    lease_sign,
    lease_terminate,
    lease_terms_snapshot,
    leases_roll_status,
)
from .pipeline import prospect_activity_save, prospect_convert_to_lease, prospect_save
from .settlement import SettlementStatement, lease_settle, lease_settlement

__all__ = [
    "alerts_send",
    "conflict_messages",
    "hold_start",
    "lease_amend",
    "lease_create",
    "lease_terms_snapshot",
    "lease_renew",
    "lease_save",
    "lease_schedule_regenerate",
    "lease_sign",
    "lease_terminate",
    "lease_settle",
    "lease_settlement",
    "leases_roll_status",
    "SettlementStatement",
    "prospect_activity_save",
    "prospect_convert_to_lease",
    "prospect_save",
]
