from .contracts import Lease, LeaseAlert, LeaseEscalation, LeaseFreePeriod, LeaseSettlement, LeaseUnit
from .pipeline import Prospect, ProspectActivity

__all__ = [
    "Lease",
    "LeaseAlert",
    "LeaseEscalation",
    "LeaseFreePeriod",
    "LeaseSettlement",
    "LeaseUnit",
    "Prospect",
    "ProspectActivity",
]
