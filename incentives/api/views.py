from rest_framework import viewsets

from core.api.scoping import StaffOnlyQuerysetMixin
from incentives.models import IncentiveGrant, IncentivePolicy

from .serializers import IncentiveGrantSerializer, IncentivePolicySerializer


class IncentivePolicyViewSet(StaffOnlyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    model = IncentivePolicy
    base_queryset = IncentivePolicy.objects.prefetch_related("clusters").order_by("name_zh")
    serializer_class = IncentivePolicySerializer
    filterset_fields = ["kind", "is_active"]


class IncentiveGrantViewSet(StaffOnlyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    model = IncentiveGrant
    base_queryset = IncentiveGrant.objects.order_by("-starts_on", "pk")
    serializer_class = IncentiveGrantSerializer
    filterset_fields = ["status", "policy", "company"]
