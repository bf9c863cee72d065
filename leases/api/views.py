from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from leases.documents import bill_pdf
from leases.filters import (
    BillFilterSet,
    BuildingFilterSet,
    FloorFilterSet,
    LeaseFilterSet,
    PaymentFilterSet,
    UnitFilterSet,
)
from leases.models import (
    ApartmentApplication,
    ApartmentRoom,
    BedAllocation,
    Bill,
    Building,
    Floor,
    Lease,
    Payment,
    ServiceRequest,
    Unit,
)
from leases.selectors import (
    allocation_list_for,
    application_list_for,
    bill_for_pdf,
    bill_list_for,
    lease_list_for,
    payment_list_for,
    service_request_list_for,
    unit_list_for,
)
from leases.services import (
    apartment_apply,
    application_withdraw,
    bill_issue,
    bill_void,
    lease_create,
    lease_save,
    lease_sign,
    lease_terminate,
    payment_record,
    service_request_cancel,
    service_request_file,
)
from parkops.api.lists import ValuesListMixin
from tenants.selectors import tenant_membership

from .serializers import (
    ApartmentApplicationSerializer,
    ApartmentRoomSerializer,
    BedAllocationSerializer,
    BillSerializer,
    BuildingSerializer,
    FloorSerializer,
    LeaseSerializer,
    LeaseWriteSerializer,
    PaymentSerializer,
    PaymentWriteSerializer,
    ServiceRequestSerializer,
    SignSerializer,
    TerminateSerializer,
    UnitSerializer,
    VoidSerializer,
)


class StaffOnlyQuerysetMixin:
    """Space inventory: staff see it all, tenant users only what their leases hold."""

    def get_queryset(self):
        queryset = self.base_queryset
        user = self.request.user
        return queryset if user.is_staff else queryset.none()


class BuildingViewSet(StaffOnlyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    model = Building
    base_queryset = Building.objects.order_by("code")
    serializer_class = BuildingSerializer
    filterset_class = BuildingFilterSet
    search_fields = ["code", "name_zh", "name_en"]
    ordering_fields = ["code"]


class FloorViewSet(StaffOnlyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    model = Floor
    base_queryset = Floor.objects.select_related("building").order_by("building__code", "sort_order")
    serializer_class = FloorSerializer
    filterset_class = FloorFilterSet
    search_fields = ["label"]
    ordering_fields = ["sort_order", "leasable_area"]


class UnitViewSet(ValuesListMixin, viewsets.ReadOnlyModelViewSet):
    model = Unit
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet
    search_fields = ["code"]
    ordering_fields = ["code", "leasable_area"]

    def get_queryset(self):
        return unit_list_for(user=self.request.user).order_by("building__code", "code")


class LeaseViewSet(ValuesListMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Leases: staff create drafts, change terms, sign and terminate through the lease services;
    tenant users read their company's."""

    model = Lease
    filterset_class = LeaseFilterSet
    search_fields = ["number", "tenant__name", "tenant__short_name"]
    ordering_fields = ["starts_on", "ends_on", "number"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return lease_list_for(user=self.request.user).order_by("-starts_on", "pk")

    def get_serializer_class(self):
        return LeaseWriteSerializer if self.action in ("create", "partial_update") else LeaseSerializer

    @extend_schema(request=LeaseWriteSerializer, responses={201: LeaseSerializer})
    def create(self, request, *args, **kwargs):
        data = self._validated(LeaseWriteSerializer, request.data)
        units = data.pop("units", [])
        lease = lease_create(units=units, **data)
        return Response(LeaseSerializer(lease).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LeaseWriteSerializer, responses={200: LeaseSerializer})
    def partial_update(self, request, *args, **kwargs):
        lease = self.get_object()
        data = self._validated(LeaseWriteSerializer, request.data, instance=lease, partial=True)
        units = data.pop("units", None)
        for name, value in data.items():
            setattr(lease, name, value)
        lease = lease_save(lease=lease, units=units)
        return Response(LeaseSerializer(lease_list_for(user=request.user).get(pk=lease.pk)).data)

    def _validated(self, serializer_class, data, **kwargs):
        serializer = serializer_class(data=data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(request=SignSerializer, responses={200: LeaseSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        data = self._validated(SignSerializer, request.data)
        lease = lease_sign(lease=self.get_object(), signed_on=data["signed_on"])
        return Response(LeaseSerializer(lease_list_for(user=request.user).get(pk=lease.pk)).data)

    @extend_schema(request=TerminateSerializer, responses={200: LeaseSerializer})
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        data = self._validated(TerminateSerializer, request.data)
        lease = lease_terminate(lease=self.get_object(), on=data["terminated_on"], reason=data["reason"])
        return Response(LeaseSerializer(lease_list_for(user=request.user).get(pk=lease.pk)).data)


class BillViewSet(viewsets.ReadOnlyModelViewSet):
    """Bills: tenant users read their company's issued bills and download them as PDF; staff also
    issue and void them."""

    model = Bill
    serializer_class = BillSerializer
    filterset_class = BillFilterSet
    search_fields = ["number", "company__name"]
    ordering_fields = ["due_on", "amount", "number"]
    action_permissions = {"pdf": "view"}

    def get_queryset(self):
        return bill_list_for(user=self.request.user).order_by("due_on", "pk")

    @extend_schema(request=None, responses={200: BillSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        bill = bill_issue(bill=self.get_object(), on=timezone.localdate())
        return Response(BillSerializer(bill_list_for(user=request.user).get(pk=bill.pk)).data)

    @extend_schema(request=VoidSerializer, responses={200: BillSerializer})
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        serializer = VoidSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        bill = bill_void(bill=self.get_object(), reason=serializer.validated_data["reason"])
        return Response(BillSerializer(bill_list_for(user=request.user).get(pk=bill.pk)).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The bill as a PDF")})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        bill = self.get_object()
        if bill.status == Bill.Status.SCHEDULED:
            return Response({"code": "not_issued", "message": "This bill is not issued yet.", "fields": {}},
                            status=status.HTTP_409_CONFLICT)
        content = bill_pdf(bill=bill_for_pdf(bill_id=bill.pk), language=request.LANGUAGE_CODE)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{bill.number}.pdf"'
        return response


class PaymentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Payments: staff record them (once per method and reference); tenant users read their company's."""

    model = Payment
    filterset_class = PaymentFilterSet
    search_fields = ["reference", "company__name"]
    ordering_fields = ["received_on", "amount"]

    def get_queryset(self):
        return payment_list_for(user=self.request.user).order_by("-received_on", "-pk")

    def get_serializer_class(self):
        return PaymentWriteSerializer if self.action == "create" else PaymentSerializer

    @extend_schema(request=PaymentWriteSerializer, responses={201: PaymentSerializer})
    def create(self, request, *args, **kwargs):
        serializer = PaymentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = payment_record(recorded_by=request.user, **serializer.validated_data)
        return Response(PaymentSerializer(payment_list_for(user=request.user).get(pk=payment.pk)).data,
                        status=status.HTTP_201_CREATED)


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
        serializer.instance = apartment_apply(application=ApartmentApplication(
            company=company, applied_by=self.request.user, **serializer.validated_data))


class BedAllocationViewSet(viewsets.ReadOnlyModelViewSet):
    model = BedAllocation
    serializer_class = BedAllocationSerializer
    filterset_fields = ["status", "company", "bed"]
    search_fields = ["name"]
    ordering_fields = ["check_in"]

    def get_queryset(self):
        return allocation_list_for(user=self.request.user).order_by("check_in", "pk")


class ServiceRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Service requests: tenant users file them about their company's units (photos through the portal)."""

    model = ServiceRequest
    serializer_class = ServiceRequestSerializer
    filterset_fields = ["status", "category", "priority", "company"]
    search_fields = ["description"]
    ordering_fields = ["created_at", "priority"]
    tenant_actions = ("create", "cancel")

    def get_queryset(self):
        return service_request_list_for(user=self.request.user).order_by("-created_at", "-pk")

    @extend_schema(request=None, responses={200: ServiceRequestSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return Response(ServiceRequestSerializer(service_request_cancel(request=self.get_object())).data)

    def perform_create(self, serializer):
        membership = tenant_membership(self.request.user)
        if membership is None:
            raise DjangoValidationError({"company": "Service requests are filed by tenant users."})
        data = serializer.validated_data
        serializer.instance = service_request_file(
            company=membership.company, unit=data["unit"], category=data["category"],
            priority=data.get("priority", ServiceRequest.Priority.NORMAL), description=data["description"],
            requested_by=self.request.user,
        )
