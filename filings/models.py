"""Park statistics (园区统计): the indicators the authorities ask for, the reporting periods staff
open, and each company's filing for a period with its values and evidence."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import add_months
from core.i18n import localised
from core.uploads import random_name, validate_pdf_upload
from core.validators import validate_business_date
from tenants.models import TenantCompany

VALUE = {"max_digits": 16, "decimal_places": 2}


class IndicatorQuerySet(models.QuerySet):
    def effective(self, *, on: datetime.date) -> "IndicatorQuerySet":
        return self.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on)


class Indicator(models.Model):
    """One figure the statistics and culture authorities ask for (营业收入, 纳税额, 从业人员 …), as
    defined from ``effective_from``. A changed definition or unit is a new row with the same code and
    its own dates; periods keep the rows they asked, so a past filing reads as it was filed."""

    code = models.SlugField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    unit = models.CharField(_("unit"), max_length=20, help_text=_("As the form prints it: 万元, 人, 件 …"))
    decimal_places = models.PositiveSmallIntegerField(
        _("decimal places"), default=2, choices=[(0, "0"), (1, "1"), (2, "2")]
    )
    definition = models.TextField(_("definition"), help_text=_("What to count, as the statistics form defines it."))
    change_limit = models.DecimalField(
        _("change needing an explanation (%)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "A value that moves more than this from the previous period or the same period a year "
            "before needs an explanation. Empty: no check."
        ),
    )
    effective_from = models.DateField(_("effective from"), validators=[validate_business_date])
    effective_to = models.DateField(_("effective until"), null=True, blank=True, validators=[validate_business_date])
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("statistics indicator")
        verbose_name_plural = _("statistics indicators")
        ordering = ["order", "code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="indicator_one_version_a_day"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="indicator_dates_in_order",
                violation_error_message=_("An indicator cannot end before it takes effect."),
            ),
            models.CheckConstraint(
                condition=Q(change_limit__isnull=True) | Q(change_limit__gte=0), name="indicator_change_limit_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）"

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)

    def clean(self):
        overlapping = Indicator.objects.filter(code=self.code).exclude(pk=self.pk)
        if self.effective_to:
            overlapping = overlapping.filter(effective_from__lte=self.effective_to)
        overlapping = overlapping.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from))
        if self.code and self.effective_from and overlapping.exists():
            raise ValidationError(
                {"effective_from": _("Another version of this indicator is in effect over these dates.")}
            )


class ReportingPeriod(models.Model):
    """A month or quarter the companies report on, with a deadline and the indicators it asks."""

    class Kind(models.TextChoices):
        MONTH = "month", _("month")
        QUARTER = "quarter", _("quarter")

    class Status(models.TextChoices):
        DRAFT = "draft", _("being prepared")
        OPEN = "open", _("open for filing")
        CLOSED = "closed", _("closed")

    kind = models.CharField(_("period"), max_length=10, choices=Kind.choices, default=Kind.QUARTER)
    starts_on = models.DateField(_("starts on"), validators=[validate_business_date])
    deadline = models.DateField(_("deadline"), validators=[validate_business_date])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicators asked"), through="PeriodIndicator", related_name="periods"
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-starts_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "starts_on"], name="reporting_period_once"),
            models.CheckConstraint(condition=Q(starts_on__day=1), name="reporting_period_starts_on_the_1st"),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("starts_on")),
                name="reporting_period_deadline_after_start",
                violation_error_message=_("The deadline comes after the period starts."),
            ),
            models.CheckConstraint(
                condition=~Q(status="open") | Q(opened_at__isnull=False), name="reporting_period_open_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def months(self) -> int:
        return 3 if self.kind == self.Kind.QUARTER else 1

    @property
    def ends_on(self) -> datetime.date:
        return add_months(self.starts_on, self.months) - datetime.timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == self.Kind.QUARTER:
            return f"{self.starts_on.year}-Q{(self.starts_on.month - 1) // 3 + 1}"
        return f"{self.starts_on:%Y-%m}"

    def shifted(self, months: int) -> datetime.date:
        """The first day of the period ``months`` before (negative) or after this one starts."""
        return add_months(self.starts_on, months)


class PeriodIndicator(models.Model):
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE)
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("indicator asked")
        verbose_name_plural = _("indicators asked")
        ordering = ["indicator__order", "indicator__code"]
        constraints = [models.UniqueConstraint(fields=["period", "indicator"], name="period_asks_an_indicator_once")]

    def __str__(self) -> str:
        return str(self.indicator)


class FilingQuerySet(models.QuerySet):
    def filed(self) -> "FilingQuerySet":
        return self.filter(status__in=[Filing.Status.SUBMITTED, Filing.Status.ACCEPTED])

    def outstanding(self) -> "FilingQuerySet":
        return self.filter(status__in=[Filing.Status.DRAFT, Filing.Status.RETURNED])

    def late(self, *, on: datetime.date) -> "FilingQuerySet":
        """Not filed by the deadline: still outstanding after it, or submitted after it."""
        return self.filter(
            Q(status__in=[Filing.Status.DRAFT, Filing.Status.RETURNED], period__deadline__lt=on)
            | Q(submitted_on__gt=models.F("period__deadline"))
        )


class Filing(models.Model):
    """One company's figures for one period: filled in the portal, submitted (then locked), accepted
    or returned with a comment by staff."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("to be filed")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for correction")
        ACCEPTED = "accepted", _("accepted")
        EXEMPT = "exempt", _("exempt")

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="filings"
    )
    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="filings"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    exempt_reason = models.CharField(_("why exempt"), max_length=200, blank=True)
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("statistics filing")
        verbose_name_plural = _("statistics filings")
        ordering = ["-period__starts_on", "company__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "company"], name="filing_once_a_period"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "exempt"]) | Q(submitted_at__isnull=False, submitted_on__isnull=False),
                name="filing_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "returned"]) | Q(reviewed_at__isnull=False),
                name="filing_reviewed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""),
                name="filing_returned_says_why",
                violation_error_message=_("Say what to correct when returning a filing."),
            ),
            models.CheckConstraint(
                condition=~Q(status="exempt") | ~Q(exempt_reason=""),
                name="filing_exempt_says_why",
                violation_error_message=_("Say why the company is exempt."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.period}"

    @property
    def is_locked(self) -> bool:
        """Submitted, accepted or exempt: the company cannot change it until staff return it."""
        return self.status not in (self.Status.DRAFT, self.Status.RETURNED)

    def is_late(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        if self.submitted_on:
            return self.submitted_on > self.period.deadline
        return self.status in (self.Status.DRAFT, self.Status.RETURNED) and on > self.period.deadline


class FilingValue(models.Model):
    filing = models.ForeignKey(Filing, verbose_name=_("filing"), on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("value"), **VALUE, null=True, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("filed value")
        verbose_name_plural = _("filed values")
        ordering = ["indicator__order", "indicator__code"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "indicator"], name="filing_value_once"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="filing_value_not_negative",
                violation_error_message=_("A figure cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


def evidence_path(instance, filename: str) -> str:
    """Evidence is a PDF, checked by its content: the stored name is random and ends in .pdf."""
    return random_name(f"filings/{instance.filing_id}", "evidence.pdf")


class FilingEvidence(models.Model):
    """A document backing a filing, e.g. the tax payment certificate (完税证明), as a PDF."""

    filing = models.ForeignKey(Filing, verbose_name=_("filing"), on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, validators=[validate_pdf_upload])
    description = models.CharField(_("description"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.description
