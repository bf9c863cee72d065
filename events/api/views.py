from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from events.filters import BookingFilterSet, EventFilterSet, HallFilterSet
from events.models import Booking, Event, Hall
from events.selectors import booking_list_for
from events.services import booking_approve, booking_cancel, booking_reject, booking_request_weekly
from tenants.selectors import tenant_membership

from .serializers import BookingSerializer, BookingWriteSerializer, EventSerializer, HallSerializer, RejectSerializer


class HallViewSet(viewsets.ReadOnlyModelViewSet):
    model = Hall
    queryset = Hall.objects.filter(is_active=True).order_by("name_zh")
    serializer_class = HallSerializer
    filterset_class = HallFilterSet
    search_fields = ["name_zh", "name_en", "equipment"]
    ordering_fields = ["name_zh", "capacity_theatre", "hourly_rate"]


class BookingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Hall bookings. A request that collides with another booking answers 409 and names the slot."""

    model = Booking
    filterset_class = BookingFilterSet
    search_fields = ["title"]
    ordering_fields = ["starts_at", "price"]
    tenant_actions = ("create", "cancel")

    def get_queryset(self):
        return booking_list_for(user=self.request.user).order_by("starts_at", "pk")

    def get_serializer_class(self):
        return BookingWriteSerializer if self.action == "create" else BookingSerializer

    @extend_schema(request=BookingWriteSerializer, responses={201: BookingSerializer})
    def create(self, request, *args, **kwargs):
        """A booking, or with ``weeks`` a weekly series: the answer is its first booking, whose
        ``series`` lists them all (``?series=``)."""
        serializer = BookingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        weeks = data.pop("weeks")
        membership = tenant_membership(request.user)
        if membership is not None:
            data.update(organiser=Booking.Organiser.TENANT, company=membership.company)
        bookings = booking_request_weekly(booking=Booking(requested_by=request.user, **data), weeks=weeks)
        first = bookings[0]
        location = reverse("api:booking-detail", args=[first.pk], request=request)
        return Response(BookingSerializer(first).data, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(request=None, responses={200: BookingSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return Response(BookingSerializer(booking_approve(booking=self.get_object(), by=request.user)).data)

    @extend_schema(request=RejectSerializer, responses={200: BookingSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        serializer = RejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        booking = booking_reject(booking=self.get_object(), by=request.user, reason=serializer.validated_data["reason"])
        return Response(BookingSerializer(booking).data)

    @extend_schema(request=None, responses={200: BookingSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        booking = booking_cancel(booking=self.get_object(), by=request.user, as_staff=request.user.is_staff)
        return Response(BookingSerializer(booking).data)


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    model = Event
    serializer_class = EventSerializer
    filterset_class = EventFilterSet
    search_fields = ["title", "title_en"]
    ordering_fields = ["title"]

    def get_queryset(self):
        events = Event.objects.prefetch_related("programme").order_by("pk")
        return events if self.request.user.is_staff else events.filter(is_public=True)
