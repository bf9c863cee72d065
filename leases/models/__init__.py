from .apartments import ApartmentApplication, ApartmentQuota, ApartmentRoom, Bed, BedAllocation, IdType
from .billing import Bill, BillLine, BillNumberSequence, LeaseAlert, Payment, PaymentAllocation
from .caching import CacheGeneration
from .contracts import Lease, LeaseEscalation, LeaseFreePeriod, LeaseUnit
from .inventory import Building, Floor, Unit, UnitQuerySet
from .pipeline import Prospect, ProspectActivity
from .service import ServiceRequest, ServiceRequestComment, ServiceRequestPhoto

__all__ = [
    "ApartmentApplication",
    "ApartmentQuota",
    "ApartmentRoom",
    "Bed",
    "BedAllocation",
    "IdType",
    "Bill",
    "BillLine",
    "BillNumberSequence",
    "Building",
    "CacheGeneration",
    "Floor",
    "Lease",
    "LeaseAlert",
    "LeaseEscalation",
    "LeaseFreePeriod",
    "LeaseUnit",
    "Payment",
    "PaymentAllocation",
    "Prospect",
    "ProspectActivity",
    "ServiceRequest",
    "ServiceRequestComment",
    "ServiceRequestPhoto",
    "Unit",
    "UnitQuerySet",
]
