from .contracts import Lease, LeaseAlert, LeaseAmendment, LeaseEscalation, LeaseFreePeriod, LeaseSettlement, LeaseUnit
from .pipeline import Prospect, ProspectActivity

__all__ = [
    "Lease",
    "LeaseAlert",
    "LeaseAmendment",
    "LeaseEscalation",
    "LeaseFreePeriod",
    "LeaseSettlement",
    "LeaseUnit",
    "Prospect",
    "ProspectActivity",
]
