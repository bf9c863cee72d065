"""Reads of service requests scoped to a user."""

from tenants.selectors import scope_to_company

from .models import ServiceRequest


def service_request_list_for(*, user):
    return scope_to_company(
        ServiceRequest.objects.select_related("company", "unit__building", "assigned_to"),
        user=user,
        company_field="company",
    )
