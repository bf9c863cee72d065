from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from servicedesk.models import ServiceRequest
from servicedesk.selectors import service_request_list_for
from servicedesk.services import service_request_cancel, service_request_file
from tenants.selectors import tenant_membership

from .serializers import ServiceRequestSerializer


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
            company=membership.company,
            unit=data["unit"],
            category=data["category"],
            priority=data.get("priority", ServiceRequest.Priority.NORMAL),
            description=data["description"],
            requested_by=self.request.user,
        )
