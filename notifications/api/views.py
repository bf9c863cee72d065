from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from notifications.models import Delivery, Notification
from notifications.selectors import inbox_for
from notifications.services import notifications_read

from .serializers import DeliverySerializer, MarkReadSerializer, NotificationSerializer


class NotificationFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="unread")

    class Meta:
        model = Notification
        fields = ["event", "unread"]


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in person's own notifications (staff and tenant users alike), newest first."""

    model = Notification
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]

    def get_queryset(self):
        if not self.request.user.is_authenticated:  # the schema is drawn without a user
            return Notification.objects.none()
        return inbox_for(self.request.user)

    @extend_schema(
        request=MarkReadSerializer,
        responses={200: inline_serializer("MarkedRead", {"read": serializers.IntegerField()})},
    )
    @action(detail=False, methods=["post"])
    def read(self, request):
        """Mark the notifications named in ``ids`` read, or all of them."""
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response({"read": notifications_read(user=request.user, ids=data.validated_data.get("ids"))})


class DeliveryViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff only: the delivery log, by status, channel and event."""

    model = Delivery
    serializer_class = DeliverySerializer
    filterset_fields = ["status", "channel", "event", "robot"]

    def get_queryset(self):
        if self.request.user.is_staff:
            return Delivery.objects.order_by("-created_at", "-pk")
        return Delivery.objects.none()
