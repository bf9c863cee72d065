from rest_framework import viewsets

from core.api.scoping import StaffOnlyQuerysetMixin
from filings.models import Filing, Indicator, ReportingPeriod
from filings.selectors import filings_for

from .serializers import FilingSerializer, IndicatorSerializer, ReportingPeriodSerializer


class IndicatorViewSet(StaffOnlyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    model = Indicator
    base_queryset = Indicator.objects.order_by("order", "code", "-effective_from")
    serializer_class = IndicatorSerializer
    filterset_fields = ["code"]


class ReportingPeriodViewSet(StaffOnlyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    model = ReportingPeriod
    base_queryset = ReportingPeriod.objects.prefetch_related("indicators").order_by("-starts_on")
    serializer_class = ReportingPeriodSerializer
    filterset_fields = ["kind", "status"]


class FilingViewSet(viewsets.ReadOnlyModelViewSet):
    """Statistics filings with their values: all of them for staff, a tenant's own company's only."""

    model = Filing
    serializer_class = FilingSerializer
    filterset_fields = ["status", "period", "company"]
    ordering_fields = ["submitted_on"]

    def get_queryset(self):
        return (
            filings_for(user=self.request.user)
            .prefetch_related("values__indicator")
            .order_by("-period__starts_on", "company__name", "pk")
        )
