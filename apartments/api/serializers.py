from rest_framework import serializers

from apartments.models import ApartmentApplication, ApartmentRoom, BedAllocation
from core.masking import mask_id, mask_phone


class MaskedIdentityMixin(serializers.Serializer):
    """ID numbers and phones in full only for staff with ``apartments.view_resident_identity``."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if not (request and request.user.has_perm("apartments.view_resident_identity")):
            data["id_number"], data["phone"] = mask_id(data["id_number"]), mask_phone(data["phone"])
        return data


class ApartmentRoomSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    beds = serializers.SlugRelatedField(slug_field="label", many=True, read_only=True)

    class Meta:
        model = ApartmentRoom
        fields = ["id", "unit", "layout", "furnished", "rent_basis", "monthly_rent", "deposit", "beds"]


class ApartmentApplicationSerializer(MaskedIdentityMixin, serializers.ModelSerializer):
    class Meta:
        model = ApartmentApplication
        fields = [
            "id",
            "company",
            "name",
            "id_type",
            "id_number",
            "phone",
            "wanted_from",
            "months",
            "status",
            "rejection_reason",
            "created_at",
        ]
        read_only_fields = ["company", "status", "rejection_reason", "created_at"]


class BedAllocationSerializer(MaskedIdentityMixin, serializers.ModelSerializer):
    class Meta:
        model = BedAllocation
        fields = [
            "id",
            "bed",
            "company",
            "name",
            "id_type",
            "id_number",
            "phone",
            "check_in",
            "planned_check_out",
            "actual_check_out",
            "monthly_rent",
            "status",
        ]
