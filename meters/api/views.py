from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as InvalidInput
from rest_framework.response import Response

from meters.models import ChargeDispute, Meter, MeterReading, Tariff, UtilityCharge, UtilityRun
from meters.selectors import charge_list_for, meter_list_for
from meters.services import dispute_answer, dispute_raise, reading_record, run_calculate, run_post, run_review
from tenants.selectors import scope_to_company, tenant_membership

from .serializers import (
    ChargeDisputeSerializer,
    DisputeAnswerSerializer,
    MeterReadingSerializer,
    MeterSerializer,
    ReadingWriteSerializer,
    TariffSerializer,
    UtilityChargeSerializer,
    UtilityRunSerializer,
)


def _validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _tenant_meters(request):
    membership = tenant_membership(request.user)
    return meter_list_for(company=membership.company) if membership else Meter.objects.none()


class MeterViewSet(viewsets.ReadOnlyModelViewSet):
    """Meters: staff see all; tenant users the meters of the units they lease."""

    model = Meter
    serializer_class = MeterSerializer
    filterset_fields = ["kind", "building", "unit"]
    search_fields = ["serial"]

    def get_queryset(self):
        meters = Meter.objects.all() if self.request.user.is_staff else _tenant_meters(self.request)
        return meters.order_by("serial")


class MeterReadingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Readings: a metering system (a staff token with the permission) posts them one by one, by
    serial number; tenant users read their meters'."""

    model = MeterReading
    serializer_class = MeterReadingSerializer
    filterset_fields = ["meter", "band", "flag", "read_on"]

    def get_queryset(self):
        if self.request.user.is_staff:
            return MeterReading.objects.order_by("meter_id", "band", "read_on")
        return MeterReading.objects.filter(meter__in=_tenant_meters(self.request)).order_by(
            "meter_id", "band", "read_on"
        )

    @extend_schema(request=ReadingWriteSerializer, responses={201: MeterReadingSerializer})
    def create(self, request, *args, **kwargs):
        data = _validated(ReadingWriteSerializer, request.data)
        meter = Meter.objects.filter(serial=data.pop("serial")).first()
        if meter is None:
            raise InvalidInput({"serial": [_("No meter has this serial number.")]})
        reading = reading_record(meter=meter, recorded_by=request.user, **data)
        return Response(MeterReadingSerializer(reading).data, status=status.HTTP_201_CREATED)


class TariffViewSet(viewsets.ReadOnlyModelViewSet):
    model = Tariff
    serializer_class = TariffSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        return Tariff.objects.prefetch_related("prices", "hours").order_by("kind", "-effective_from")


class UtilityRunViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Staff only: a building's period, calculated, reviewed and posted by its actions."""

    model = UtilityRun
    serializer_class = UtilityRunSerializer
    filterset_fields = ["building", "status"]

    def get_queryset(self):
        if not self.request.user.is_staff:
            return UtilityRun.objects.none()
        return UtilityRun.objects.order_by("-period_start", "building_id")

    def _step(self, service):
        run = service(self.get_object())
        return Response(UtilityRunSerializer(self.get_queryset().get(pk=run.pk)).data)

    @extend_schema(request=None, responses={200: UtilityRunSerializer})
    @action(detail=True, methods=["post"])
    def calculate(self, request, pk=None):
        return self._step(lambda run: run_calculate(run=run))

    @extend_schema(request=None, responses={200: UtilityRunSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        return self._step(lambda run: run_review(run=run))

    @extend_schema(request=None, responses={200: UtilityRunSerializer})
    @action(detail=True, methods=["post"])
    def post(self, request, pk=None):
        run = self.get_object()
        run_post(run=run, posted_by=request.user)
        return Response(UtilityRunSerializer(self.get_queryset().get(pk=run.pk)).data)


class UtilityChargeViewSet(viewsets.ReadOnlyModelViewSet):
    """Posted utility charges with how each was computed; tenant users see their company's."""

    model = UtilityCharge
    serializer_class = UtilityChargeSerializer
    filterset_fields = ["run", "kind", "company"]

    def get_queryset(self):
        return charge_list_for(user=self.request.user).order_by("-run__period_end", "pk")


class ChargeDisputeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Disputes of utility charges: tenant users raise them on their charges; staff answer."""

    model = ChargeDispute
    serializer_class = ChargeDisputeSerializer
    tenant_actions = ("create",)
    filterset_fields = ["status", "charge"]

    def get_queryset(self):
        return scope_to_company(ChargeDispute.objects.all(), user=self.request.user, company_field="company").order_by(
            "-raised_at"
        )

    @extend_schema(request=ChargeDisputeSerializer, responses={201: ChargeDisputeSerializer})
    def create(self, request, *args, **kwargs):
        data = _validated(ChargeDisputeSerializer, request.data)
        charge = get_object_or_404(charge_list_for(user=request.user), pk=data["charge"].pk)
        dispute = dispute_raise(charge=charge, message=data["message"], raised_by=request.user)
        return Response(ChargeDisputeSerializer(dispute).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DisputeAnswerSerializer, responses={200: ChargeDisputeSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        data = _validated(DisputeAnswerSerializer, request.data)
        dispute = dispute_answer(dispute=self.get_object(), answered_by=request.user, **data)
        return Response(ChargeDisputeSerializer(dispute).data)
