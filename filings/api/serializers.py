from rest_framework import serializers

from filings.models import Filing, FilingValue, Indicator, ReportingPeriod


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name_zh", "name_en", "unit", "decimal_places", "definition", "change_limit"]
        fields += ["effective_from", "effective_to"]


class ReportingPeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    ends_on = serializers.DateField(read_only=True)
    indicators = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ["id", "label", "kind", "starts_on", "ends_on", "deadline", "status", "indicators"]


class FilingValueSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = FilingValue
        fields = ["indicator", "value", "explanation"]


class FilingSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.label", read_only=True)
    values = FilingValueSerializer(many=True, read_only=True)

    class Meta:
        model = Filing
        fields = ["id", "period", "company", "status", "submitted_on", "review_comment", "values"]
