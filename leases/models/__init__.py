from .contracts import Lease, LeaseAlert, LeaseEscalation, LeaseFreePeriod, LeaseUnit
from .pipeline import Prospect, ProspectActivity

__all__ = ["Lease", "LeaseAlert", "LeaseEscalation", "LeaseFreePeriod", "LeaseUnit", "Prospect", "ProspectActivity"]
