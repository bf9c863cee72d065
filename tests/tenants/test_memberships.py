import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tenants.models import TenantMembership
from tenants.services import membership_save
from tests.factories import TenantCompanyFactory

pytestmark = pytest.mark.django_db


def test_a_user_belongs_to_one_company_as_admin_or_member(django_user_model):
    user = django_user_model.objects.create_user("kugou-admin")
    membership = membership_save(membership=TenantMembership(user=user, company=TenantCompanyFactory(), role="admin"))
    assert user.tenant_membership == membership
    with pytest.raises(IntegrityError), transaction.atomic():
        TenantMembership.objects.create(user=user, company=TenantCompanyFactory())


def test_staff_are_never_tenant_users(django_user_model):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True)
    with pytest.raises(ValidationError) as error:
        membership_save(membership=TenantMembership(user=clerk, company=TenantCompanyFactory()))
    assert error.value.message_dict == {"user": ["Staff users cannot be tenant users."]}
    assert TenantMembership.objects.count() == 0


def test_the_admin_refuses_a_staff_user_as_tenant_user(staff_client, django_user_model):
    from django.urls import reverse

    clerk = django_user_model.objects.create_user("another-clerk", is_staff=True)
    response = staff_client.post(
        reverse("admin:tenants_tenantmembership_add"),
        {"user": clerk.pk, "company": TenantCompanyFactory().pk, "role": "member"},
    )
    assert response.status_code == 200
    assert "Staff users cannot be tenant users." in response.content.decode()
    assert TenantMembership.objects.count() == 0
