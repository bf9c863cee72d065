from rest_framework import serializers

from servicedesk.models import ServiceRequest


class ServiceRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "company",
            "unit",
            "category",
            "priority",
            "description",
            "status",
            "created_at",
            "responded_at",
            "resolved_at",
            "rating",
        ]
        read_only_fields = ["company", "status", "created_at", "responded_at", "resolved_at", "rating"]
