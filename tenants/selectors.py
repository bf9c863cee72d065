"""Reads about companies and partners that cross relations."""

import datetime
from dataclasses import dataclass

from .models import Milestone

MILESTONE_HORIZON_DAYS = 30


@dataclass
class MilestoneDashboard:
    on: datetime.date
    overdue: list[Milestone]
    due_soon: list[Milestone]


def milestone_dashboard(*, on: datetime.date, days: int = MILESTONE_HORIZON_DAYS) -> MilestoneDashboard:
    """Overdue milestones and those due within ``days`` days, with agreement and partner loaded."""
    base = Milestone.objects.select_related("agreement__partner").order_by("due_on", "pk")
    return MilestoneDashboard(
        on=on,
        overdue=list(base.overdue(on=on)),
        due_soon=list(base.due_within(on=on, days=days)),
    )

