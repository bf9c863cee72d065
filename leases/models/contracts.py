import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from billing.models import LateFeeTerms
from core.db import DateRange, PostgresExclusionConstraint
from core.validators import OUT_OF_RANGE, dates_within_business_range, validate_business_date
from spaces.models import Unit
from tenants.models import TenantCompany

MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 10, "decimal_places": 2}


def current_days_per_month() -> str:
    """The day-to-month factor in force (``PARKOPS_DAYS_PER_MONTH``), as a lease records it."""
    return settings.PARKOPS_DAYS_PER_MONTH


class LeaseQuerySet(models.QuerySet):
    def binding(self) -> "LeaseQuerySet":
        return self.exclude(status=Lease.Status.DRAFT)

    def in_force(self, *, on: datetime.date) -> "LeaseQuerySet":
        """Signed leases whose (possibly shortened) term covers ``on``."""
        return (
            self.binding()
            .filter(starts_on__lte=on)
            .filter(Q(terminated_on__isnull=True, ends_on__gte=on) | Q(terminated_on__gte=on))
        )

    def with_area(self) -> "LeaseQuerySet":
        """``units_area``: the sum of the units' areas; ``leased_area``: the override when there is
        one, else ``units_area``."""
        units_area = Subquery(
            LeaseUnit.objects.filter(lease=OuterRef("pk"))
            .values("lease")
            .annotate(total=Sum("unit__leasable_area"))
            .values("total")
        )
        return self.annotate(units_area=Coalesce(units_area, Value(Decimal("0")))).annotate(
            leased_area=Coalesce("area_override", "units_area")
        )


class Lease(LateFeeTerms):
    """An office lease of one or more units to a tenant company, with its rent terms."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SIGNED = "signed", _("signed")
        ACTIVE = "active", _("active")
        EXPIRED = "expired", _("expired")
        TERMINATED = "terminated", _("terminated early")
        RENEWED = "renewed", _("renewed")

    class RentBasis(models.TextChoices):
        PER_DAY = "per_day", _("CNY per m² per day")
        PER_MONTH = "per_month", _("CNY per m² per month")

    class Cycle(models.TextChoices):
        MONTHLY = "monthly", _("monthly in advance")
        QUARTERLY = "quarterly", _("quarterly in advance")

    number = models.CharField(_("lease number"), max_length=40, unique=True)
    tenant = models.ForeignKey(TenantCompany, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="leases")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    signed_on = models.DateField(_("signed on"), null=True, blank=True, validators=[validate_business_date])
    starts_on = models.DateField(_("starts on"), validators=[validate_business_date])
    ends_on = models.DateField(
        _("ends on"), help_text=_("The last day of the term (inclusive)."), validators=[validate_business_date]
    )
    units = models.ManyToManyField(Unit, verbose_name=_("units"), through="LeaseUnit", related_name="leases")
    area_override = models.DecimalField(
        _("leased area override (m²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty to lease the sum of the units' areas."),
    )
    area_override_reason = models.CharField(_("reason for the override"), max_length=200, blank=True)
    rent_rate = models.DecimalField(_("rent rate"), **RATE, default=Decimal("0"))
    rent_basis = models.CharField(
        _("rent quoted per"), max_length=20, choices=RentBasis.choices, default=RentBasis.PER_DAY
    )
    fee_rate = models.DecimalField(_("property-management fee (CNY per m² per month)"), **RATE, default=Decimal("0"))
    days_per_month = models.CharField(
        _("days per month (rents per day)"),
        max_length=10,
        default=current_days_per_month,
        editable=False,
        help_text=_("The day-to-month factor in force when the lease was signed; its bills keep it."),
    )
    payment_cycle = models.CharField(_("payment cycle"), max_length=20, choices=Cycle.choices, default=Cycle.MONTHLY)
    due_day = models.PositiveSmallIntegerField(
        _("due day"), default=5, help_text=_("Day of the period's first month on which its bill falls due (1–28).")
    )
    deposit_amount = models.DecimalField(
        _("deposit required"),
        **MONEY,
        default=Decimal("0"),
        help_text=_("What the contract asks; what is received, applied and refunded is in the deposit ledger."),
    )
    terminated_on = models.DateField(
        _("terminated on"), null=True, blank=True, editable=False, help_text=_("The last day the lease ran.")
    )
    termination_reason = models.TextField(_("termination reason"), blank=True, editable=False)
    renews = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewed_by",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = LeaseQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        ordering = ["-starts_on", "number"]
        indexes = [
            models.Index(fields=["-starts_on", "number"], name="lease_newest_first"),
            models.Index(fields=["status", "ends_on"], name="lease_status_ends"),
        ]
        constraints = [
            *LateFeeTerms.Meta.constraints,
            models.CheckConstraint(
                condition=dates_within_business_range("signed_on", "starts_on", "ends_on"),
                name="lease_within_business_dates",
                violation_error_message=OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="lease_ends_after_start",
                violation_error_message=_("A lease cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_on__isnull=False),
                name="lease_signed_has_date",
                violation_error_message=_("A signed lease needs its signing date."),
            ),
            models.CheckConstraint(
                condition=Q(area_override__isnull=True) | (Q(area_override__gt=0) & ~Q(area_override_reason="")),
                name="lease_area_override_positive_with_reason",
                violation_error_message=_("An overridden leased area must be positive and come with its reason."),
            ),
            models.CheckConstraint(
                condition=Q(rent_rate__gte=0) & Q(fee_rate__gte=0) & Q(deposit_amount__gte=0),
                name="lease_rates_not_negative",
                violation_error_message=_("Rent, fee and deposit cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(due_day__gte=1) & Q(due_day__lte=28),
                name="lease_due_day_in_every_month",
                violation_error_message=_("The due day must lie between 1 and 28, so that every month has it."),
            ),
            models.CheckConstraint(
                condition=~Q(status="terminated") | (Q(terminated_on__isnull=False) & ~Q(termination_reason="")),
                name="lease_terminated_has_date_and_reason",
                violation_error_message=_("An early termination needs its date and reason."),
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True)
                | (Q(terminated_on__gte=F("starts_on")) & Q(terminated_on__lte=F("ends_on"))),
                name="lease_terminated_within_term",
                violation_error_message=_("A lease can only be terminated within its term."),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def last_day(self) -> datetime.date:
        """The last day the lease runs: its termination date when terminated early, else its end."""
        return self.terminated_on or self.ends_on


class LeaseFreePeriod(models.Model):
    """A rent-free (免租期) or fit-out period; it may begin before the term."""

    class Kind(models.TextChoices):
        RENT_FREE = "rent_free", _("rent-free period")
        FIT_OUT = "fit_out", _("fit-out period")

    lease = models.ForeignKey(Lease, verbose_name=_("lease"), on_delete=models.CASCADE, related_name="free_periods")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.RENT_FREE)
    starts_on = models.DateField(_("starts on"), validators=[validate_business_date])
    ends_on = models.DateField(_("ends on"), validators=[validate_business_date])
    waives_rent = models.BooleanField(_("no rent"), default=True)
    waives_fee = models.BooleanField(_("no management fee"), default=False)

    class Meta:
        verbose_name = _("rent-free or fit-out period")
        verbose_name_plural = _("rent-free and fit-out periods")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=dates_within_business_range("starts_on", "ends_on"),
                name="free_period_within_business_dates",
                violation_error_message=OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="free_period_ends_after_start",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on}–{self.ends_on}"


class LeaseEscalation(models.Model):
    """A rent (or fee) increase: once from a date, or every N months from the start of the term."""

    class AppliesTo(models.TextChoices):
        RENT = "rent", _("rent")
        FEE = "fee", _("management fee")

    class Kind(models.TextChoices):
        PERCENT = "percent", _("+ percent")
        AMOUNT = "amount", _("+ amount per m²")
        NEW_RATE = "new_rate", _("new rate")

    lease = models.ForeignKey(Lease, verbose_name=_("lease"), on_delete=models.CASCADE, related_name="escalations")
    applies_to = models.CharField(_("applies to"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.RENT)
    effective_on = models.DateField(_("from"), null=True, blank=True, validators=[validate_business_date])
    every_months = models.PositiveSmallIntegerField(_("every N months"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERCENT)
    value = models.DecimalField(_("value"), max_digits=10, decimal_places=4)
    rate_decimals = models.PositiveSmallIntegerField(
        _("round the new rate to"), default=2, help_text=_("Decimal places, rounding half up.")
    )

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["effective_on", "every_months", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(effective_on__isnull=False) & Q(every_months__isnull=True))
                | (Q(effective_on__isnull=True) & Q(every_months__gte=1)),
                name="escalation_once_or_recurring",
                violation_error_message=_("Give either a date or a number of months, not both."),
            ),
            models.CheckConstraint(
                condition=Q(rate_decimals__lte=4),
                name="escalation_rounding_plausible",
                violation_error_message=_("Round to at most 4 decimal places."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="new_rate") | Q(value__gte=0),
                name="escalation_new_rate_not_negative",
                violation_error_message=_("A new rate cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class LeaseAreaChange(models.Model):
    """A new leased area from a day, set by an amendment: the schedule charges it from then on."""

    lease = models.ForeignKey(Lease, verbose_name=_("lease"), on_delete=models.CASCADE, related_name="area_changes")
    effective_on = models.DateField(_("from"), validators=[validate_business_date])
    area = models.DecimalField(_("leased area (m²)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("change of leased area")
        verbose_name_plural = _("changes of leased area")
        ordering = ["effective_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["lease", "effective_on"],
                name="lease_area_change_once_a_day",
                violation_error_message=_("The lease already changes its area on that day."),
            ),
            models.CheckConstraint(
                condition=Q(area__gt=0),
                name="lease_area_change_positive",
                violation_error_message=_("A leased area is more than nothing."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} m² {self.effective_on:%Y-%m-%d}"


class LeaseUnit(models.Model):
    """A unit held by a lease.

    The term and whether the lease binds are copied from the lease (by the lease services) because a
    database constraint can only compare columns of one table: this is where overlaps are refused.
    """

    lease = models.ForeignKey(Lease, verbose_name=_("lease"), on_delete=models.CASCADE, related_name="lease_units")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="lease_units")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_binding = models.BooleanField(_("binding"), default=False)

    class Meta:
        verbose_name = _("leased unit")
        verbose_name_plural = _("leased units")
        constraints = [
            models.UniqueConstraint(
                fields=["lease", "unit"],
                name="lease_unit_once",
                violation_error_message=_("This unit is already part of this lease."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="lease_unit_ends_after_start",
                violation_error_message=_("A lease cannot end before it starts."),
            ),
            PostgresExclusionConstraint(
                name="lease_unit_no_overlap",
                expressions=[
                    ("unit", RangeOperators.EQUAL),
                    (DateRange("starts_on", "ends_on", Value("[]")), RangeOperators.OVERLAPS),
                ],
                condition=Q(is_binding=True),
                violation_error_message=_("This unit is already let for overlapping dates."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lease} · {self.unit}"


class LeaseAlert(models.Model):
    """Records that the operations group was told a lease ends within ``threshold_days``."""

    lease = models.ForeignKey(Lease, on_delete=models.CASCADE, related_name="alerts")
    threshold_days = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lease", "threshold_days"], name="lease_alert_once")]

    def __str__(self) -> str:
        return f"{self.lease_id} · {self.threshold_days}"


class LeaseSettlement(models.Model):
    """The settlement (结算) of a lease that ended, early or at its term, as staff confirmed it: what
    was credited for the days after its end, the deposit applied to what the tenant owed, and what
    was left to refund or to collect. The ledger holds the entries it posted."""

    lease = models.OneToOneField(Lease, verbose_name=_("lease"), on_delete=models.PROTECT, related_name="settlement")
    last_day = models.DateField(_("last day"))
    credited = models.DecimalField(_("credited for days after the end"), **MONEY)
    billed = models.DecimalField(_("billed at settlement"), **MONEY)
    deposit_applied = models.DecimalField(_("deposit applied"), **MONEY)
    deposit_to_refund = models.DecimalField(_("deposit to refund"), **MONEY)
    credit_to_refund = models.DecimalField(_("credit to refund"), **MONEY)
    to_collect = models.DecimalField(_("left to collect"), **MONEY)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lease settlement")
        verbose_name_plural = _("lease settlements")

    def __str__(self) -> str:
        return _("settlement of %(lease)s") % {"lease": self.lease}


class LeaseAmendment(models.Model):
    """A change (变更) to the terms of a signed lease: what changed, from when, why and by whom.
    Written by the lease services whenever a signed lease's terms change; never edited."""

    lease = models.ForeignKey(Lease, verbose_name=_("lease"), on_delete=models.CASCADE, related_name="amendments")
    effective_on = models.DateField(_("effective from"), validators=[validate_business_date])
    reason = models.TextField(_("reason"))
    changes = models.JSONField(_("changes"), help_text=_("Each term changed, as [before, after]."))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lease amendment")
        verbose_name_plural = _("lease amendments")
        ordering = ["lease", "made_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="lease_amendment_has_reason",
                violation_error_message=_("Say why the terms change."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lease} {self.effective_on:%Y-%m-%d}"
