"""The month-end run (月结) finance starts its close with."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from .bills import bills_issue_due, bills_mark_overdue
from .late_fees import late_fees_accrue
from .ledger import ZERO


@dataclass(frozen=True)
class MonthEnd:
    on: datetime.date
    bills_issued: int
    bills_overdue: int
    late_fee_entries: int
    late_fees: Decimal


def month_end_run(*, on: datetime.date) -> MonthEnd:
    """Issue every bill falling due, mark the overdue ones and charge late fees through ``on``.
    Each step is idempotent, so the run can be repeated; the arrears as of ``on`` are then read
    with ``arrears_by_company(on=on)``."""
    issued = bills_issue_due(on=on)
    overdue = len(bills_mark_overdue(on=on))
    entries = late_fees_accrue(on=on)
    return MonthEnd(on, issued, overdue, len(entries), sum((entry.debit for entry in entries), ZERO))
