import django_filters

from parkops.api.filters import FilterSet

from .models import Bill, Building, Floor, Lease, LeaseUnit, Payment, Unit


class BuildingFilterSet(FilterSet):
    class Meta:
        model = Building
        fields = ["code"]


class FloorFilterSet(FilterSet):
    building = django_filters.CharFilter(field_name="building__code")

    class Meta:
        model = Floor
        fields = ["building", "main_use"]


class UnitFilterSet(FilterSet):
    building = django_filters.CharFilter(field_name="building__code")
    floor = django_filters.CharFilter(field_name="floor__label")
    min_area = django_filters.NumberFilter(field_name="leasable_area", lookup_expr="gte")
    max_area = django_filters.NumberFilter(field_name="leasable_area", lookup_expr="lte")

    class Meta:
        model = Unit
        fields = ["building", "floor", "use", "min_area", "max_area"]


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


class BillFilterSet(FilterSet):
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")

    class Meta:
        model = Bill
        fields = ["status", "company", "lease", "due_before", "due_after"]


class PaymentFilterSet(FilterSet):
    class Meta:
        model = Payment
        fields = ["company", "method", "received_on"]
