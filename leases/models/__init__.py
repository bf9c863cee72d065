from .contracts import (
    Lease,
    LeaseAlert,
    LeaseAmendment,
    LeaseAreaChange,
    LeaseEscalation,
    LeaseFreePeriod,
    LeaseSettlement,
    LeaseUnit,
)
from .pipeline import Prospect, ProspectActivity

__all__ = [
    "Lease",
    "LeaseAlert",
    "LeaseAmendment",
    "LeaseAreaChange",
    "LeaseEscalation",
    "LeaseFreePeriod",
    "LeaseSettlement",
    "LeaseUnit",
    "Prospect",
    "ProspectActivity",
]
