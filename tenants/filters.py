import django_filters

from core.speedups.filter_form_cache import FilterSet

from .models import CompanyContact, IndustryCluster, PartnerAgreement, TenantCompany


class IndustryClusterFilterSet(FilterSet):
    class Meta:
        model = IndustryCluster
        fields = ["code"]


class TenantCompanyFilterSet(FilterSet):
    cluster = django_filters.CharFilter(field_name="primary_cluster__code")

    class Meta:
        model = TenantCompany
        fields = ["status", "cluster", "is_incubated_in_park", "stock_exchange"]


class CompanyContactFilterSet(FilterSet):
    class Meta:
        model = CompanyContact
        fields = ["company", "is_primary"]


class PartnerAgreementFilterSet(FilterSet):
    class Meta:
        model = PartnerAgreement
        fields = ["status", "partner"]
