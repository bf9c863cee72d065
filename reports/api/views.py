from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from reports.filters import ReportRunFilterSet
from reports.models import ReportRun
from reports.services import period_parse, report_regenerate, report_request

from .serializers import ReportRunRequestSerializer, ReportRunSerializer

DOWNLOAD = "reports.download_report"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportRunViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Report runs: POST queues one and answers 202 with its URL; GET shows its progress; the file
    downloads once it is done. Staff with the report permission only."""

    model = ReportRun
    serializer_class = ReportRunSerializer
    filterset_class = ReportRunFilterSet
    ordering_fields = ["queued_at", "period_start"]
    action_permissions = {
        "create": DOWNLOAD,
        "download": DOWNLOAD,
        "xlsx": DOWNLOAD,
        "snapshot": DOWNLOAD,
        "regenerate": DOWNLOAD,
    }

    def get_queryset(self):
        user = self.request.user
        runs = ReportRun.objects.select_related("building").order_by("-queued_at", "-pk")
        if self.action != "snapshot":
            runs = runs.defer("snapshot")
        return runs if user.is_staff and user.has_perm(DOWNLOAD) else runs.none()

    def get_serializer_class(self):
        return ReportRunRequestSerializer if self.action == "create" else ReportRunSerializer

    @extend_schema(request=ReportRunRequestSerializer, responses={202: ReportRunSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ReportRunRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        period_type, period_start = period_parse(data.pop("period"))
        run = report_request(period_type=period_type, period_start=period_start, requested_by=request.user, **data)
        url = request.build_absolute_uri(f"{request.path.rstrip('/')}/{run.pk}/")
        return Response(ReportRunSerializer(run).data, status=status.HTTP_202_ACCEPTED, headers={"Location": url})

    def _done(self):
        run = self.get_object()
        if run.status != ReportRun.Status.DONE:
            return run, Response(
                {"code": "not_done", "message": _("The report is not done yet."), "fields": {}},
                status=status.HTTP_409_CONFLICT,
            )
        return run, None

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The report as a PDF")})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        run, refusal = self._done()
        if refusal:
            return refusal
        return FileResponse(
            run.file.open("rb"),
            as_attachment=True,
            filename=f"{run.kind}-{run.period_label}.pdf",
            content_type="application/pdf",
        )

    @extend_schema(responses={(200, XLSX): OpenApiResponse(description="The report's tables as a workbook")})
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        run, refusal = self._done()
        if refusal:
            return refusal
        return FileResponse(
            run.xlsx.open("rb"), as_attachment=True, filename=f"{run.kind}-{run.period_label}.xlsx", content_type=XLSX
        )

    @extend_schema(responses={200: OpenApiResponse(description="The figures the report was drawn from")})
    @action(detail=True, methods=["get"])
    def snapshot(self, request, pk=None):
        run, refusal = self._done()
        return refusal or Response({"sha256": run.snapshot_sha256, "snapshot": run.snapshot})

    @extend_schema(request=None, responses={202: ReportRunSerializer})
    @action(detail=True, methods=["post"])
    def regenerate(self, request, pk=None):
        """A new run drawn from this run's snapshot (the same figures, with a note saying so)."""
        copy = report_regenerate(run=self.get_object(), requested_by=request.user)
        return Response(ReportRunSerializer(copy).data, status=status.HTTP_202_ACCEPTED)
