from rest_framework import serializers

from core.uploads import validate_image_upload
from meters.models import (
    Band,
    ChargeDispute,
    Meter,
    MeterReading,
    Tariff,
    TariffHours,
    TariffPrice,
    UtilityCharge,
    UtilityRun,
)


class MeterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meter
        fields = [
            "id",
            "kind",
            "serial",
            "building",
            "floor",
            "unit",
            "shared_area",
            "parent",
            "multiplier",
            "digits",
            "time_of_use",
            "allocation",
            "installed_on",
            "removed_on",
            "replaces",
        ]


class MeterReadingSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeterReading
        fields = [
            "id",
            "meter",
            "read_on",
            "band",
            "value",
            "rolled_over",
            "is_estimate",
            "consumption",
            "flag",
            "photo",
        ]


class ReadingWriteSerializer(serializers.Serializer):
    """A reading as a metering system posts it: the meter by its serial number."""

    serial = serializers.CharField(max_length=40)
    read_on = serializers.DateField()
    band = serializers.ChoiceField(choices=Band.choices, default=Band.TOTAL)
    value = serializers.DecimalField(max_digits=16, decimal_places=3, min_value=0)
    rolled_over = serializers.BooleanField(default=False)
    photo = serializers.FileField(required=False, validators=[validate_image_upload], help_text="JPEG, PNG or WebP.")


class TariffPriceSerializer(serializers.ModelSerializer):
    class Meta:
        model = TariffPrice
        fields = ["band", "up_to", "price"]


class TariffHoursSerializer(serializers.ModelSerializer):
    class Meta:
        model = TariffHours
        fields = ["band", "starts_at", "ends_at"]


class TariffSerializer(serializers.ModelSerializer):
    prices = TariffPriceSerializer(many=True, read_only=True)
    hours = TariffHoursSerializer(many=True, read_only=True)

    class Meta:
        model = Tariff
        fields = ["id", "kind", "effective_from", "method", "loss_factor", "surcharge", "prices", "hours"]


class UtilityRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = UtilityRun
        fields = ["id", "building", "period_start", "period_end", "status", "due_days", "calculated_at", "posted_at"]
        read_only_fields = ["status", "calculated_at", "posted_at"]


class UtilityChargeSerializer(serializers.ModelSerializer):
    class Meta:
        model = UtilityCharge
        fields = ["id", "run", "company", "meter", "kind", "source", "consumption", "amount", "explanation", "bill"]


class ChargeDisputeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChargeDispute
        fields = ["id", "charge", "message", "status", "answer", "corrected_amount", "raised_at", "answered_at"]
        read_only_fields = ["status", "answer", "corrected_amount", "raised_at", "answered_at"]


class DisputeAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=2000)
    corrected_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    red_letter_confirmation = serializers.CharField(max_length=30, required=False, default="")
