from rest_framework import serializers

from notifications.models import Delivery, Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "event", "subject", "body", "link", "created_at", "read_at"]


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=1000)


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id",
            "event",
            "channel",
            "robot",
            "address",
            "subject",
            "status",
            "attempts",
            "next_attempt_at",
            "last_error",
            "detail",
            "created_at",
            "sent_at",
        ]
