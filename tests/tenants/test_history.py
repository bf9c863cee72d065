import pytest
from django.urls import reverse

from tenants.models import CompanyContact, PartnerAgreement, TenantCompany
from tests.factories import TenantCompanyFactory

pytestmark = pytest.mark.django_db


def company_form(company, **changes):
    data = {
        "name": company.name,
        "short_name": company.short_name,
        "name_en": company.name_en,
        "credit_code": company.credit_code,
        "status": company.status,
        "primary_cluster": company.primary_cluster_id,
        "stock_exchange": "",
        "ticker": "",
        "headcount": "",
        "registered_capital": "",
        "moved_in_on": "",
        "notes": "",
    }
    for prefix in ["contacts", "year_figures", "memberships"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return {**data, **changes}


def test_admin_changes_to_a_company_keep_who_when_and_what(staff_client):
    company = TenantCompanyFactory(headcount=None)
    response = staff_client.post(
        reverse("admin:tenants_tenantcompany_change", args=[company.pk]),
        company_form(
            company,
            short_name="新简称",
            headcount="120",
            **{
                "contacts-TOTAL_FORMS": "1",
                "contacts-0-name": "陈晓明",
                "contacts-0-role": "行政总监",
                "contacts-0-phone": "+86 138 0000 0000",
                "contacts-0-email": "chen@example.com",
                "contacts-0-is_primary": "on",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    latest, previous = TenantCompany.history.filter(id=company.pk).order_by("-history_date")[:2]
    assert latest.history_user.username == "clerk"
    changed = {change.field: (change.old, change.new) for change in latest.diff_against(previous).changes}
    assert changed == {"short_name": (company.short_name, "新简称"), "headcount": (None, 120)}
    contact = CompanyContact.objects.get(company=company)
    assert contact.history.get().history_user.username == "clerk"

    page = staff_client.get(reverse("admin:tenants_tenantcompany_history", args=[company.pk]))
    assert page.status_code == 200
    assert "新简称" in page.content.decode() and "clerk" in page.content.decode()


def test_agreements_keep_their_history():
    agreement = PartnerAgreement.objects.create(partner=TenantCompanyFactory(), title="战略合作协议")
    agreement.status, agreement.signed_on = PartnerAgreement.Status.SIGNED, "2025-03-28"
    agreement.save()
    assert [record.status for record in agreement.history.order_by("history_date")] == ["draft", "signed"]


@pytest.mark.parametrize("count", [2, 50])
def test_company_list_uses_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    TenantCompanyFactory.create_batch(count)
    with django_assert_max_num_queries(10):
        response = staff_client.get(reverse("admin:tenants_tenantcompany_changelist"))
    assert response.context["cl"].result_count == count


@pytest.mark.parametrize("count", [2, 50])
def test_agreement_list_uses_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    for _ in range(count):
        PartnerAgreement.objects.create(partner=TenantCompanyFactory(), title="协议")
    with django_assert_max_num_queries(10):
        response = staff_client.get(reverse("admin:tenants_partneragreement_changelist"))
    assert response.context["cl"].result_count == count
