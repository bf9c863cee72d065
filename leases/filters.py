import django_filters

from core.speedups.filter_form_cache import FilterSet

from .models import Lease, LeaseUnit


class LeaseFilterSet(FilterSet):
    ends_before = django_filters.DateFilter(field_name="ends_on", lookup_expr="lte")
    ends_after = django_filters.DateFilter(field_name="ends_on", lookup_expr="gte")
    building = django_filters.CharFilter(method="filter_building", label="building code")

    class Meta:
        model = Lease
        fields = ["status", "tenant", "payment_cycle", "ends_before", "ends_after", "building"]

    def filter_building(self, queryset, name, value):
        """Leases holding a unit in the building, as a semi-join: no DISTINCT over the joined rows."""
        return queryset.filter(pk__in=LeaseUnit.objects.filter(unit__building__code=value).values("lease_id"))
