"""Writes to the invoicing profiles (开票信息) companies keep for their fapiao."""

from django.db import transaction

from billing.models import InvoicingProfile
from tenants.models import TenantCompany

PROFILE_FIELDS = ("title", "taxpayer_number", "address_phone", "bank_account", "fapiao_type", "email")


def invoicing_profile_for(*, company: TenantCompany) -> InvoicingProfile:
    """The company's profile, or an unsaved one filled from the company (its name and credit code)."""
    profile = InvoicingProfile.objects.filter(company=company).first()
    return profile or InvoicingProfile(company=company, title=company.name, taxpayer_number=company.credit_code)


@transaction.atomic
def invoicing_profile_save(*, company: TenantCompany, **fields) -> InvoicingProfile:
    """Create or change the company's invoicing profile; its history keeps who changed what."""
    profile = InvoicingProfile.objects.select_for_update().filter(company=company).first()
    profile = profile or InvoicingProfile(company=company)
    for name in PROFILE_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(profile, name, value.strip() if isinstance(value, str) else value)
    profile.taxpayer_number = profile.taxpayer_number.upper()
    profile.full_clean()
    profile.save()
    return profile
