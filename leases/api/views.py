from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.lists import ValuesListMixin
from leases.filters import LeaseFilterSet
from leases.models import Lease
from leases.selectors import lease_list_for
from leases.services import (
    lease_amend,
    lease_create,
    lease_save,
    lease_settle,
    lease_settlement,
    lease_sign,
    lease_terminate,
)

from .serializers import (
    AmendSerializer,
    LeaseSerializer,
    LeaseWriteSerializer,
    SettlementSerializer,
    SignSerializer,
    TerminateSerializer,
)


class LeaseViewSet(ValuesListMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Leases: staff create drafts, change terms, sign and terminate through the lease services;
    tenant users read their company's."""

    model = Lease
    filterset_class = LeaseFilterSet
    search_fields = ["number", "tenant__name", "tenant__short_name"]
    ordering_fields = ["starts_on", "ends_on", "number"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"settlement": "view"}

    def get_queryset(self):
        return lease_list_for(user=self.request.user).order_by("-starts_on", "pk")

    def get_serializer_class(self):
        return LeaseWriteSerializer if self.action in ("create", "partial_update") else LeaseSerializer

    @extend_schema(request=LeaseWriteSerializer, responses={201: LeaseSerializer})
    def create(self, request, *args, **kwargs):
        data = self._validated(LeaseWriteSerializer, request.data)
        units = data.pop("units", [])
        data.pop("change_reason")
        lease = lease_create(units=units, **data)
        return Response(LeaseSerializer(lease).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LeaseWriteSerializer, responses={200: LeaseSerializer})
    def partial_update(self, request, *args, **kwargs):
        lease = self.get_object()
        data = self._validated(LeaseWriteSerializer, request.data, instance=lease, partial=True)
        units = data.pop("units", None)
        reason = data.pop("change_reason", "")
        for name, value in data.items():
            setattr(lease, name, value)
        lease = lease_save(lease=lease, units=units, reason=reason, changed_by=request.user)
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

    @extend_schema(request=AmendSerializer, responses={200: LeaseSerializer})
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        """A new rent or fee rate from a day (变更): earlier bills keep the old rate."""
        data = self._validated(AmendSerializer, request.data)
        lease = lease_amend(lease=self.get_object(), changed_by=request.user, **data)
        return Response(LeaseSerializer(lease_list_for(user=request.user).get(pk=lease.pk)).data)

    @extend_schema(responses={200: SettlementSerializer})
    @action(detail=True, methods=["get"])
    def settlement(self, request, pk=None):
        """What settling the ended lease would post now: nothing is written."""
        return Response(SettlementSerializer(lease_settlement(lease=self.get_object())).data)

    @extend_schema(request=None, responses={201: SettlementSerializer})
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        """Post the settlement: credits for days after the end, last bills, the deposit applied."""
        settlement = lease_settle(lease=self.get_object(), recorded_by=request.user)
        return Response(SettlementSerializer(settlement).data, status=status.HTTP_201_CREATED)
