from rest_framework import serializers

from core.api.lists import ValuesListSerializerMixin
from spaces.models import Building, Floor, Unit


class BuildingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Building
        fields = [
            "id",
            "code",
            "name_zh",
            "name_en",
            "address",
            "gross_floor_area",
            "height_m",
            "storeys_above_ground",
            "storeys_below_ground",
            "year_opened",
        ]


class FloorSerializer(serializers.ModelSerializer):
    building = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Floor
        fields = ["id", "building", "sort_order", "label", "main_use", "gross_area", "leasable_area"]


class UnitSerializer(ValuesListSerializerMixin, serializers.ModelSerializer):
    building = serializers.SlugRelatedField(slug_field="code", read_only=True)
    floor = serializers.SlugRelatedField(slug_field="label", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "building", "floor", "code", "use", "leasable_area"]

    list_columns = {
        "id": "id",
        "building": "building__code",
        "floor": "floor__label",
        "code": "code",
        "use": "use",
        "leasable_area": "leasable_area",
    }
