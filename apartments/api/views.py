from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apartments.models import ApartmentApplication, ApartmentRoom, BedAllocation
from apartments.selectors import allocation_list_for, application_list_for
from apartments.services import apartment_apply, application_withdraw
from core.api.scoping import StaffOnlyQuerysetMixin
from tenants.selectors import tenant_membership

from .serializers import ApartmentApplicationSerializer, ApartmentRoomSerializer, BedAllocationSerializer


class ApartmentRoomViewSet(StaffOnlyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    model = ApartmentRoom
    base_queryset = ApartmentRoom.objects.select_related("unit").prefetch_related("beds").order_by("unit__code")
    serializer_class = ApartmentRoomSerializer
    filterset_fields = ["layout", "furnished", "rent_basis"]
    search_fields = ["unit__code"]
    ordering_fields = ["monthly_rent"]


class ApartmentApplicationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Apartment applications: a tenant user applies for its own company; ID numbers and phones are
    masked unless the user may see them."""

    model = ApartmentApplication
    serializer_class = ApartmentApplicationSerializer
    filterset_fields = ["status", "company"]
    search_fields = ["name"]
    ordering_fields = ["created_at", "wanted_from"]
    tenant_actions = ("create", "withdraw")

    def get_queryset(self):
        return application_list_for(user=self.request.user).order_by("created_at", "pk")

    @extend_schema(request=None, responses={200: ApartmentApplicationSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = application_withdraw(application=self.get_object())
        return Response(ApartmentApplicationSerializer(application, context={"request": request}).data)

    def perform_create(self, serializer):
        membership = tenant_membership(self.request.user)
        company = membership.company if membership else serializer.validated_data.get("company")
        if company is None:
            raise DjangoValidationError({"company": "A staff request names the company."})
        serializer.instance = apartment_apply(
            application=ApartmentApplication(company=company, applied_by=self.request.user, **serializer.validated_data)
        )


class BedAllocationViewSet(viewsets.ReadOnlyModelViewSet):
    model = BedAllocation
    serializer_class = BedAllocationSerializer
    filterset_fields = ["status", "company", "bed"]
    search_fields = ["name"]
    ordering_fields = ["check_in"]

    def get_queryset(self):
        return allocation_list_for(user=self.request.user).order_by("check_in", "pk")
