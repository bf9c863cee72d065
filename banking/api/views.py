from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from banking.models import BankStatement, StatementLayout, StatementLine
from banking.services import Split, statement_import, statement_line_confirm, statement_line_set_aside

from .serializers import (
    BankStatementSerializer,
    ConfirmSerializer,
    SetAsideSerializer,
    StatementLayoutSerializer,
    StatementLineSerializer,
    StatementUploadSerializer,
)


def _validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class StaffOnlyQuerysetMixin:
    """Bank statements are the operator's own books: tenant users see none of them."""

    def get_queryset(self):
        if not self.request.user.is_staff:
            return self.model.objects.none()
        return self.staff_queryset()


class StatementLayoutViewSet(StaffOnlyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    model = StatementLayout
    serializer_class = StatementLayoutSerializer

    def staff_queryset(self):
        return StatementLayout.objects.order_by("name")


class BankStatementViewSet(StaffOnlyQuerysetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Upload a statement (multipart: ``layout``, ``file``); its lines are imported once and matched."""

    model = BankStatement
    serializer_class = BankStatementSerializer
    parser_classes = [MultiPartParser]

    def staff_queryset(self):
        return BankStatement.objects.order_by("-uploaded_at")

    @extend_schema(request={"multipart/form-data": StatementUploadSerializer}, responses={201: BankStatementSerializer})
    def create(self, request, *args, **kwargs):
        data = _validated(StatementUploadSerializer, request.data)
        statement = statement_import(
            layout=data["layout"], content=data["file"].read(), filename=data["file"].name, uploaded_by=request.user
        )
        return Response(BankStatementSerializer(statement).data, status=status.HTTP_201_CREATED)


class StatementLineViewSet(StaffOnlyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Statement lines with what they matched; ``?status=unmatched`` is the queue."""

    model = StatementLine
    serializer_class = StatementLineSerializer
    filterset_fields = ["status", "statement", "company", "booked_on"]
    search_fields = ["payer_name", "payer_account", "remark", "serial"]
    ordering_fields = ["booked_on", "amount", "confidence"]

    def staff_queryset(self):
        return StatementLine.objects.prefetch_related("payments").order_by("booked_on", "pk")

    @extend_schema(request=ConfirmSerializer, responses={200: StatementLineSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Record the line as payments: as suggested, or split as ``splits`` say."""
        data = _validated(ConfirmSerializer, request.data)
        splits = [Split(**split) for split in data["splits"]] if data.get("splits") else None
        line = self.get_object()
        statement_line_confirm(line=line, splits=splits, decided_by=request.user)
        return Response(StatementLineSerializer(self.get_queryset().get(pk=line.pk)).data)

    @extend_schema(request=SetAsideSerializer, responses={200: StatementLineSerializer})
    @action(detail=True, methods=["post"], url_path="set-aside")
    def set_aside(self, request, pk=None):
        data = _validated(SetAsideSerializer, request.data)
        line = statement_line_set_aside(line=self.get_object(), note=data["note"], decided_by=request.user)
        return Response(StatementLineSerializer(self.get_queryset().get(pk=line.pk)).data)
