from rest_framework import viewsets

from tenants.filters import (
    CompanyContactFilterSet,
    IndustryClusterFilterSet,
    PartnerAgreementFilterSet,
    TenantCompanyFilterSet,
)
from tenants.models import CompanyContact, IndustryCluster, PartnerAgreement, TenantCompany
from tenants.selectors import agreement_list_for, company_list_for, contact_list_for

from .serializers import (
    CompanyContactSerializer,
    IndustryClusterSerializer,
    PartnerAgreementSerializer,
    TenantCompanySerializer,
)


class IndustryClusterViewSet(viewsets.ReadOnlyModelViewSet):
    """Industry clusters: reference data every user may read."""

    model = IndustryCluster
    queryset = IndustryCluster.objects.all()
    serializer_class = IndustryClusterSerializer
    filterset_class = IndustryClusterFilterSet
    search_fields = ["code", "name_zh", "name_en"]
    ordering_fields = ["order", "code"]


class TenantCompanyViewSet(viewsets.ReadOnlyModelViewSet):
    model = TenantCompany
    serializer_class = TenantCompanySerializer
    filterset_class = TenantCompanyFilterSet
    search_fields = ["name", "short_name", "name_en", "credit_code"]
    ordering_fields = ["name", "moved_in_on", "headcount"]

    def get_queryset(self):
        return company_list_for(user=self.request.user).order_by("name")


class CompanyContactViewSet(viewsets.ReadOnlyModelViewSet):
    model = CompanyContact
    serializer_class = CompanyContactSerializer
    filterset_class = CompanyContactFilterSet
    search_fields = ["name", "role", "email"]
    ordering_fields = ["name"]

    def get_queryset(self):
        return contact_list_for(user=self.request.user).order_by("company", "name")


class PartnerAgreementViewSet(viewsets.ReadOnlyModelViewSet):
    model = PartnerAgreement
    serializer_class = PartnerAgreementSerializer
    filterset_class = PartnerAgreementFilterSet
    search_fields = ["title", "scope", "partner__name"]
    ordering_fields = ["signed_on", "title"]

    def get_queryset(self):
        return agreement_list_for(user=self.request.user).order_by("-signed_on", "pk")
