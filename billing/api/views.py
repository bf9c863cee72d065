from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from billing.documents import bill_pdf, receipt_response
from billing.filters import BillFilterSet, PaymentFilterSet
from billing.models import Bill, Payment
from billing.selectors import bill_for_pdf, bill_list_for, payment_list_for
from billing.services import bill_issue, bill_void, payment_record

from .serializers import BillSerializer, PaymentSerializer, PaymentWriteSerializer, VoidSerializer


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
            return Response(
                {"code": "not_issued", "message": "This bill is not issued yet.", "fields": {}},
                status=status.HTTP_409_CONFLICT,
            )
        content = bill_pdf(bill=bill_for_pdf(bill_id=bill.pk), language=request.LANGUAGE_CODE)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{bill.number}.pdf"'
        return response


class PaymentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Payments: staff record them (once per method and reference); tenant users read their company's."""

    model = Payment
    filterset_class = PaymentFilterSet
    search_fields = ["reference", "receipt_number", "company__name"]
    ordering_fields = ["received_on", "amount"]
    action_permissions = {"receipt": "view"}

    def get_queryset(self):
        return payment_list_for(user=self.request.user).order_by("-received_on", "-pk")

    def get_serializer_class(self):
        return PaymentWriteSerializer if self.action == "create" else PaymentSerializer

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The receipt (收据) as a PDF")})
    @action(detail=True, methods=["get"])
    def receipt(self, request, pk=None):
        return receipt_response(payment=self.get_object(), language=request.LANGUAGE_CODE)

    @extend_schema(request=PaymentWriteSerializer, responses={201: PaymentSerializer})
    def create(self, request, *args, **kwargs):
        serializer = PaymentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment = payment_record(recorded_by=request.user, **serializer.validated_data)
        return Response(
            PaymentSerializer(payment_list_for(user=request.user).get(pk=payment.pk)).data,
            status=status.HTTP_201_CREATED,
        )
