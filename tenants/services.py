"""Writes to clusters and companies."""

from django.db import transaction

from .models import IndustryCluster, TenantCompany


def normalise_credit_code(raw: str) -> str:
    """Codes are typed with spaces, dashes and lower case; stored as 18 capitals."""
    return "".join(raw.split()).replace("-", "").upper()


@transaction.atomic
def cluster_save(*, cluster: IndustryCluster) -> IndustryCluster:
    cluster.full_clean()
    cluster.save()
    return cluster


@transaction.atomic
def company_save(*, company: TenantCompany) -> TenantCompany:
    company.credit_code = normalise_credit_code(company.credit_code)
    company.full_clean()
    company.save()
    return company
