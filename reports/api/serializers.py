from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from reports.models import ReportRun
from spaces.models import Building


class ReportRunSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period_label", read_only=True)
    download_url = serializers.SerializerMethodField()

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
            "download_url",
        ]

    def get_download_url(self, run) -> str | None:
        if run.status != ReportRun.Status.DONE:
            return None
        return reverse("api:report-run-download", args=[run.pk])


class ReportRunRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReportRun.Kind.choices)
    period = serializers.RegexField(
        r"^\d{4}-(\d{2}|Q[1-4])$", max_length=7, help_text="YYYY-MM (a month) or YYYY-Q1…Q4 (a quarter)"
    )
    building = serializers.PrimaryKeyRelatedField(
        queryset=Building.objects.all(), required=False, allow_null=True, default=None
    )
    language = serializers.ChoiceField(choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
