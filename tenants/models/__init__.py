from .companies import (
    CompanyContact,
    CompanyYearFigure,
    IndustryCluster,
    TenantCompany,
    TenantMembership,
    localised,
)
from .partners import AgreementDocument, Milestone, PartnerAgreement

__all__ = [
    "AgreementDocument",
    "CompanyContact",
    "CompanyYearFigure",
    "IndustryCluster",
    "Milestone",
    "PartnerAgreement",
    "TenantCompany",
    "TenantMembership",
    "localised",
]
