import django_filters

from core.speedups.filter_form_cache import FilterSet

from .models import Building, Floor, Unit


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
