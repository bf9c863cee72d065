import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.validators import OUT_OF_RANGE, dates_within_business_range, validate_business_date
from spaces.models import Building


class ReportRun(models.Model):
    """One rendering of a report for a period. Re-running a period makes a new run; a file, once
    done, is never overwritten."""

    class Kind(models.TextChoices):
        OCCUPANCY = "occupancy", _("occupancy")
        CLUSTERS = "clusters", _("industry clusters")
        BOARD = "board", _("monthly business report (board pack)")

    class PeriodType(models.TextChoices):
        MONTH = "month", _("month")
        QUARTER = "quarter", _("quarter")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("report"), max_length=20, choices=Kind.choices)
    period_type = models.CharField(_("period"), max_length=10, choices=PeriodType.choices, default=PeriodType.MONTH)
    period_start = models.DateField(_("period starts on"), validators=[validate_business_date])
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_runs",
        help_text=_("Empty: the whole portfolio."),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: requested by the schedule."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("PDF file"), upload_to="reports/", blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    xlsx = models.FileField(_("XLSX file"), upload_to="reports/", blank=True, help_text=_("The PDF's tables."))
    snapshot = models.JSONField(
        _("snapshot"), null=True, blank=True, editable=False, help_text=_("The figures the files were drawn from.")
    )
    snapshot_sha256 = models.CharField(_("snapshot SHA-256"), max_length=64, blank=True, editable=False)
    code_version = models.CharField(
        _("code version"), max_length=40, blank=True, editable=False, help_text=_("The code that drew the files.")
    )
    regenerated_from = models.ForeignKey(
        "self",
        verbose_name=_("regenerated from"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regenerations",
        help_text=_("Drawn again from that run's snapshot, not from today's data."),
    )

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-queued_at", "-pk"]
        permissions = [("download_report", _("Can request and download reports"))]
        constraints = [
            models.CheckConstraint(
                condition=dates_within_business_range("period_start"),
                name="report_within_business_dates",
                violation_error_message=OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(file="") & Q(size__isnull=False) & ~Q(sha256="")),
                name="report_done_has_file",
                violation_error_message=_("A finished report has its file, size and checksum."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done")
                | (Q(snapshot__isnull=False) & ~Q(snapshot_sha256="") & ~Q(xlsx="") & ~Q(code_version="")),
                name="report_done_has_snapshot",
                violation_error_message=_("A finished report keeps the snapshot of its figures and its XLSX."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="board") | Q(period_type="month", building__isnull=True),
                name="report_board_pack_monthly_for_the_portfolio",
                violation_error_message=_("The board pack covers one month of the whole portfolio."),
            ),
            models.CheckConstraint(
                condition=Q(period_start__day=1),
                name="report_period_starts_on_the_first",
                violation_error_message=_("A reporting period starts on the first of a month."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_label} ({self.scope_label})"

    @property
    def period_end(self) -> datetime.date:
        months = 3 if self.period_type == self.PeriodType.QUARTER else 1
        last_month = self.period_start.month + months - 1
        year, month = self.period_start.year + (last_month - 1) // 12, (last_month - 1) % 12 + 1
        return datetime.date(year, month, calendar.monthrange(year, month)[1])

    @property
    def period_label(self) -> str:
        if self.period_type == self.PeriodType.QUARTER:
            return f"{self.period_start.year}-Q{(self.period_start.month - 1) // 3 + 1}"
        return f"{self.period_start:%Y-%m}"

    @property
    def scope_label(self) -> str:
        return self.building.name if self.building_id else str(_("whole portfolio"))

    @property
    def duration(self) -> datetime.timedelta | None:
        return self.finished_at - self.started_at if self.started_at and self.finished_at else None


class MonthlyFigures(models.Model):
    """The dashboard's figures of one month, for one building or (``building`` empty) the whole
    portfolio: frozen once the month has ended, so trends never replay the ledger's history; the
    current month's row is provisional and refreshed each night."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    figures = models.JSONField(_("figures"))
    final = models.BooleanField(_("final"), default=False, help_text=_("The month had ended when it was frozen."))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("monthly figures")
        verbose_name_plural = _("monthly figures")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "building"],
                condition=Q(building__isnull=False),
                name="monthly_figures_once_a_building",
            ),
            models.UniqueConstraint(
                fields=["month"], condition=Q(building__isnull=True), name="monthly_figures_once_for_the_portfolio"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="monthly_figures_month_starts_on_the_1st"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.building or _('portfolio')}"
