from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Booking, Event, Hall, ProgrammeItem


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}$", "example": "08:00"})
class ClockTimeField(serializers.TimeField):
    """A time of day as people write it (08:00); OpenAPI's "time" format would demand a UTC offset."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class HallSerializer(serializers.ModelSerializer):
    opens_at = ClockTimeField(read_only=True)
    closes_at = ClockTimeField(read_only=True)

    class Meta:
        model = Hall
        fields = [
            "id",
            "name_zh",
            "name_en",
            "kind",
            "capacity_theatre",
            "capacity_classroom",
            "capacity_banquet",
            "equipment",
            "opens_at",
            "closes_at",
            "hourly_rate",
            "half_day_rate",
            "tenant_discount_percent",
            "buffer_minutes",
            "cancellation_notice_hours",
        ]


class BookingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Booking
        fields = [
            "id",
            "hall",
            "organiser",
            "company",
            "external_organisation",
            "contact_name",
            "title",
            "starts_at",
            "ends_at",
            "attendees",
            "layout",
            "status",
            "price",
            "rejection_reason",
            "series",
            "event",
        ]


class BookingWriteSerializer(serializers.ModelSerializer):
    """A booking request; a tenant user's is always its own company's."""

    weeks = serializers.IntegerField(min_value=1, max_value=52, default=1, write_only=True)

    class Meta:
        model = Booking
        fields = [
            "hall",
            "organiser",
            "company",
            "external_organisation",
            "contact_name",
            "contact_phone",
            "contact_email",
            "title",
            "starts_at",
            "ends_at",
            "attendees",
            "layout",
            "weeks",
        ]
        extra_kwargs = {"organiser": {"required": False}, "company": {"required": False}}


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ProgrammeItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeItem
        fields = ["starts_at", "ends_at", "title", "speaker"]


class EventSerializer(serializers.ModelSerializer):
    programme = ProgrammeItemSerializer(many=True, read_only=True)

    class Meta:
        model = Event
        fields = ["id", "title", "title_en", "description", "capacity", "is_public", "programme"]
