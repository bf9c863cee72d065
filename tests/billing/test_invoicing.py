"""Invoicing details (开票信息): what a company's fapiao are issued to, kept by the tenant."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from billing.models import InvoicingProfile
from billing.services import invoicing_profile_save

pytestmark = pytest.mark.django_db


def profile_data(company, **changes):
    return {
        "title": company.name,
        "taxpayer_number": company.credit_code,
        "address_phone": "广州市天河区 020-12345678",
        "bank_account": "工商银行广州分行 3602000000000000000",
        "fapiao_type": "special",
        "email": "finance@example.cn",
        **changes,
    }


def test_a_company_admin_keeps_the_details_in_the_portal_and_a_member_only_reads_them(client, world):
    from tenants.models import TenantMembership

    a = world["a"]
    client.force_login(a["user"])
    page = client.get(reverse("portal:invoicing")).content.decode()
    assert a["company"].credit_code in page  # filled from the company until saved
    TenantMembership.objects.filter(user=a["user"]).update(role="admin")
    bad = client.post(reverse("portal:invoicing"), profile_data(a["company"], taxpayer_number="91440101MA5CXXXX01"))
    assert bad.status_code == 200 and "check character" in bad.content.decode()
    no_bank = client.post(reverse("portal:invoicing"), profile_data(a["company"], bank_account=""))
    assert "special VAT fapiao needs" in no_bank.content.decode() and not InvoicingProfile.objects.exists()
    saved = client.post(reverse("portal:invoicing"), profile_data(a["company"]))
    assert saved.status_code == 302
    profile = InvoicingProfile.objects.get(company=a["company"])
    assert (profile.fapiao_type, profile.email) == ("special", "finance@example.cn")
    TenantMembership.objects.filter(user=a["user"]).update(role="member")
    assert client.post(reverse("portal:invoicing"), profile_data(a["company"], email="x@example.cn")).status_code == 403
    assert InvoicingProfile.objects.get(company=a["company"]).email == "finance@example.cn"


def test_the_api_saves_one_profile_per_company_and_scopes_it(api, world, operations_user):
    a, b = world["a"], world["b"]
    api.force_authenticate(operations_user)
    url = reverse("api:invoicing-profile-list")
    first = api.post(url, {"company": a["company"].pk, **profile_data(a["company"])}, format="json")
    again = api.post(
        url, {"company": a["company"].pk, **profile_data(a["company"], fapiao_type="ordinary")}, format="json"
    )
    assert (first.status_code, again.status_code) == (201, 201) and first.json()["id"] == again.json()["id"]
    assert InvoicingProfile.objects.get().fapiao_type == "ordinary"
    from tenants.models import TenantMembership

    TenantMembership.objects.filter(user=b["user"]).update(role="member")
    api.force_authenticate(type(b["user"]).objects.get(pk=b["user"].pk))  # a member, not an admin, of another company
    assert api.get(url).json()["results"] == []
    assert api.post(url, {"company": a["company"].pk, **profile_data(a["company"])}, format="json").status_code == 404
    refused = api.post(url, {"company": b["company"].pk, **profile_data(b["company"])}, format="json")
    assert refused.status_code == 403 and not InvoicingProfile.objects.filter(company=b["company"]).exists()
    TenantMembership.objects.filter(user=b["user"]).update(role="admin")
    api.force_authenticate(type(b["user"]).objects.get(pk=b["user"].pk))  # memberships are read once per user object
    mine = api.post(url, {"company": b["company"].pk, **profile_data(b["company"])}, format="json")
    assert mine.status_code == 201 and [row["company"] for row in api.get(url).json()["results"]] == [b["company"].pk]


def test_the_database_refuses_a_special_fapiao_without_bank_details(world):
    company = world["a"]["company"]
    with pytest.raises(ValidationError, match="needs the address and phone"):
        invoicing_profile_save(company=company, **profile_data(company, address_phone=""))
    profile = invoicing_profile_save(company=company, **profile_data(company, fapiao_type="ordinary", bank_account=""))
    with pytest.raises(IntegrityError), transaction.atomic():
        InvoicingProfile.objects.filter(pk=profile.pk).update(fapiao_type="special")
