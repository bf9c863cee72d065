from django.contrib import admin

from .models import ReportRun


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin):
    """Runs are made by the schedule, /reports/ and generate_report; the admin only shows them."""

    list_display = [
        "pk",
        "kind",
        "period_type",
        "period_start",
        "building",
        "status",
        "attempts",
        "queued_at",
        "finished_at",
        "size",
    ]
    list_filter = ["kind", "status", "period_type", "building"]
    list_select_related = ["building"]
    # The snapshot is downloaded as JSON from the run's page (/reports/<id>/); here it would be a wall of text.
    exclude = ["snapshot"]
    readonly_fields = [field.name for field in ReportRun._meta.fields if field.name != "snapshot"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("snapshot")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
