from rest_framework import serializers

from incentives.models import IncentiveGrant, IncentivePolicy


class IncentivePolicySerializer(serializers.ModelSerializer):
    clusters = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = IncentivePolicy
        fields = ["id", "name_zh", "name_en", "kind", "clusters", "requires_lease", "indicator_code", "threshold"]
        fields += ["quarters_counted", "reduction_percent", "months", "employees_per_bed", "max_beds", "is_active"]


class IncentiveGrantSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncentiveGrant
        fields = ["id", "policy", "company", "starts_on", "ends_on", "status", "beds", "basis", "flag_reason"]
        fields += ["decision_note"]
