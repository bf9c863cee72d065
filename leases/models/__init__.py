from .contracts import Lease, LeaseUnit
from .inventory import Building, Floor, Unit, UnitQuerySet
from .pipeline import Prospect, ProspectActivity

__all__ = ["Building", "Floor", "Lease", "LeaseUnit", "Prospect", "ProspectActivity", "Unit", "UnitQuerySet"]
