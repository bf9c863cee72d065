from rest_framework import serializers

from tenants.models import CompanyContact, IndustryCluster, Milestone, PartnerAgreement, TenantCompany


class IndustryClusterSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndustryCluster
        fields = ["id", "code", "name_zh", "name_en", "colour", "order"]


class TenantCompanySerializer(serializers.ModelSerializer):
    primary_cluster = serializers.SlugRelatedField(slug_field="code", read_only=True)
    secondary_clusters = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = TenantCompany
        fields = [
            "id",
            "name",
            "short_name",
            "name_en",
            "credit_code",
            "status",
            "primary_cluster",
            "secondary_clusters",
            "stock_exchange",
            "ticker",
            "is_incubated_in_park",
            "moved_in_on",
            "headcount",
            "registered_capital",
        ]


class CompanyContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompanyContact
        fields = ["id", "company", "name", "role", "phone", "email", "is_primary"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "description", "owner", "due_on", "status", "completed_on"]


class PartnerAgreementSerializer(serializers.ModelSerializer):
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = PartnerAgreement
        fields = ["id", "partner", "title", "status", "signed_on", "starts_on", "ends_on", "scope", "milestones"]
