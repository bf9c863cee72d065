"""Every write to space, leases, bills, payments and the pipeline. Admin, portal, API, tasks and
commands all come here, so validation and audit are the same everywhere."""

from .alerts import alerts_send
from .apartments import (
    allocation_check_in,
    allocation_check_out,
    allocation_move,
    allocation_request_check_out,
    apartment_apply,
    apartment_bills_issue,
    application_approve,
    application_reject,
    application_waitlist,
    application_withdraw,
)
from .billing import (
    bill_issue,
    bill_numbers_reserve,
    bill_void,
    bills_issue_due,
    bills_mark_overdue,
    credit_apply,
    payment_record,
)
from .contracts import (
    conflict_messages,
    hold_start,
    lease_create,
    lease_renew,
    lease_save,
    lease_schedule_regenerate,
    lease_sign,
    lease_terminate,
    leases_roll_status,
)
from .inventory import building_save, floor_save, floor_units_check, unit_save
from .pipeline import prospect_activity_save, prospect_convert_to_lease, prospect_save
from .service import (
    service_request_cancel,
    service_request_comment,
    service_request_file,
    service_request_rate,
    service_request_save,
)

__all__ = [
    "alerts_send",
    "allocation_check_in",
    "allocation_check_out",
    "allocation_move",
    "allocation_request_check_out",
    "apartment_apply",
    "apartment_bills_issue",
    "application_approve",
    "application_reject",
    "application_waitlist",
    "application_withdraw",
    "bill_issue",
    "bill_numbers_reserve",
    "bill_void",
    "bills_issue_due",
    "bills_mark_overdue",
    "building_save",
    "credit_apply",
    "floor_save",
    "floor_units_check",
    "conflict_messages",
    "hold_start",
    "lease_create",
    "lease_renew",
    "lease_save",
    "lease_schedule_regenerate",
    "lease_sign",
    "lease_terminate",
    "leases_roll_status",
    "payment_record",
    "prospect_activity_save",
    "prospect_convert_to_lease",
    "prospect_save",
    "service_request_cancel",
    "service_request_comment",
    "service_request_file",
    "service_request_rate",
    "service_request_save",
    "unit_save",
]
