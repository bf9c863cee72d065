from .companies import (
    CompanyContact,
    CompanyYearFigure,
    IndustryCluster,
    TenantCompany,
    TenantMembership,
)
from .partners import AgreementDocument, Milestone, PartnerAgreement
from .portal import Invitation, Notice, Visitor

__all__ = [
    "AgreementDocument",
    "CompanyContact",
    "CompanyYearFigure",
    "IndustryCluster",
    "Invitation",
    "Milestone",
    "Notice",
    "PartnerAgreement",
    "TenantCompany",
    "TenantMembership",
    "Visitor",
]
