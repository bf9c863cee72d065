from rest_framework import viewsets

from core.api.lists import ValuesListMixin
from core.api.scoping import StaffOnlyQuerysetMixin
from spaces.filters import BuildingFilterSet, FloorFilterSet, UnitFilterSet
from spaces.models import Building, Floor, Unit
from spaces.selectors import unit_list_for

from .serializers import BuildingSerializer, FloorSerializer, UnitSerializer


class BuildingViewSet(StaffOnlyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    model = Building
    base_queryset = Building.objects.order_by("code")
    serializer_class = BuildingSerializer
    filterset_class = BuildingFilterSet
    search_fields = ["code", "name_zh", "name_en"]
    ordering_fields = ["code"]


class FloorViewSet(StaffOnlyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    model = Floor
    base_queryset = Floor.objects.select_related("building").order_by("building__code", "sort_order")
    serializer_class = FloorSerializer
    filterset_class = FloorFilterSet
    search_fields = ["label"]
    ordering_fields = ["sort_order", "leasable_area"]


class UnitViewSet(ValuesListMixin, viewsets.ReadOnlyModelViewSet):
    model = Unit
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    search_fields = ["code"]
    ordering_fields = ["code", "leasable_area"]

    def get_queryset(self):
        return unit_list_for(user=self.request.user).order_by("building__code", "code")
