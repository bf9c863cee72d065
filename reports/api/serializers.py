from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from reports.models import ReportRun
from spaces.models import Building


class ReportRunSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period_label", read_only=True)
    download_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()
    snapshot_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "kind",
            "period",
            "period_type",
            "period_start",
            "building",
            "language",
            "status",
            "attempts",
            "queued_at",
            "started_at",
            "finished_at",
            "error",
            "size",
            "sha256",
            "snapshot_sha256",
            "code_version",
            "regenerated_from",
            "download_url",
            "xlsx_url",
            "snapshot_url",
        ]

    def _done_url(self, run, name: str) -> str | None:
        return reverse(name, args=[run.pk]) if run.status == ReportRun.Status.DONE else None

    def get_download_url(self, run) -> str | None:
        return self._done_url(run, "api:report-run-download")

    def get_xlsx_url(self, run) -> str | None:
        return self._done_url(run, "api:report-run-xlsx")

    def get_snapshot_url(self, run) -> str | None:
        return self._done_url(run, "api:report-run-snapshot")


class ReportRunRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportRun.Kind.choices)
    period = serializers.RegexField(
        r"^\d{4}-(\d{2}|Q[1-4])$", max_length=7, help_text="YYYY-MM (a month) or YYYY-Q1…Q4 (a quarter)"
    )
    building = serializers.PrimaryKeyRelatedField(
        queryset=Building.objects.all(), required=False, allow_null=True, default=None
    )
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
