"""Utility meters (水电), their readings, tariffs, and the monthly runs that bill them."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from billing.models import MONEY, Bill
from core.uploads import validate_image_upload
from spaces.models import Building, Floor, Unit
from tenants.models import TenantCompany

QUANTITY = {"max_digits": 16, "decimal_places": 3}


class Kind(models.TextChoices):
    """What a meter measures; the values are the bill line kinds its charges are billed as."""

    ELECTRICITY = "electricity", _("electricity")
    WATER = "water", _("water")
    COOLING = "cooling", _("air-conditioning energy")
    GAS = "gas", _("gas")


class Band(models.TextChoices):
    """Time-of-use bands of Guangdong's commercial electricity tariff; ``total`` for other meters."""

    TOTAL = "total", _("total")
    SHARP = "sharp", _("critical peak (尖峰)")
    PEAK = "peak", _("peak (峰)")
    FLAT = "flat", _("flat (平)")
    VALLEY = "valley", _("valley (谷)")


class Allocation(models.TextChoices):
    """How a shared meter's consumption (公摊) is divided among the building's tenants."""

    LEASED_AREA = "leased_area", _("by leased area")
    HEADCOUNT = "headcount", _("by headcount")
    FIXED_SHARES = "fixed_shares", _("by fixed shares")


class Meter(models.Model):
    """A meter where it is installed: a unit's, a floor's, a shared area's or the building's main
    meter, maybe a sub-meter of another. What it reads is its register times ``multiplier`` (the
    current-transformer ratio); its register rolls over to zero after ``digits`` digits."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    serial = models.CharField(_("serial number"), max_length=40, unique=True)
    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="+")
    floor = models.ForeignKey(
        Floor, verbose_name=_("floor"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="meters"
    )
    shared_area = models.CharField(
        _("shared area"),
        max_length=80,
        blank=True,
        help_text=_("For a meter of common parts (lobby, lifts, car park): its consumption is shared out."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("sub-meter of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_meters",
        help_text=_("The meter upstream: what it reads beyond its sub-meters is shared out as loss."),
    )
    multiplier = models.DecimalField(
        _("multiplier"), max_digits=8, decimal_places=2, default=Decimal("1"), help_text=_("The CT ratio, 1 if none.")
    )
    digits = models.PositiveSmallIntegerField(
        _("register digits"), default=6, help_text=_("The register rolls over to zero after this many digits.")
    )
    time_of_use = models.BooleanField(
        _("read by time-of-use band"), default=False, help_text=_("Readings come per band: peak, flat, valley.")
    )
    allocation = models.CharField(
        _("shared out"),
        max_length=20,
        choices=Allocation.choices,
        default=Allocation.LEASED_AREA,
        help_text=_("How what this meter shares out (a common area's use, or loss beyond its sub-meters) is divided."),
    )
    installed_on = models.DateField(_("installed on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self", verbose_name=_("replaces"), on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["building", "kind", "serial"]
        constraints = [
            models.CheckConstraint(
                condition=Q(multiplier__gt=0),
                name="meter_multiplier_positive",
                violation_error_message=_("A multiplier is positive."),
            ),
            models.CheckConstraint(
                condition=Q(digits__gte=3) & Q(digits__lte=12),
                name="meter_digits_plausible",
                violation_error_message=_("A register has 3 to 12 digits."),
            ),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=F("installed_on")),
                name="meter_removed_after_installed",
                violation_error_message=_("A meter is removed after it is installed."),
            ),
            models.CheckConstraint(
                condition=~(Q(unit__isnull=False) & ~Q(shared_area="")),
                name="meter_unit_or_shared_area",
                violation_error_message=_("A meter is a unit's or a shared area's, not both."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial}"

    @property
    def measure(self) -> str:
        """What its consumption is counted in."""
        return "m³" if self.kind in (Kind.WATER, Kind.GAS) else "kWh"

    @property
    def rollover(self) -> Decimal:
        return Decimal(10) ** self.digits


class MeterShare(models.Model):
    """A company's fixed share of a meter shared out by fixed shares: shares are weights, so 1 and 3
    split a quarter and three quarters."""

    meter = models.ForeignKey(Meter, verbose_name=_("meter"), on_delete=models.CASCADE, related_name="shares")
    company = models.ForeignKey(TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(_("share"), max_digits=10, decimal_places=4)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fixed share")
        verbose_name_plural = _("fixed shares")
        ordering = ["meter", "company"]
        constraints = [
            models.UniqueConstraint(
                fields=["meter", "company"],
                name="meter_share_once_a_company",
                violation_error_message=_("This company already has a share of this meter."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="meter_share_positive",
                violation_error_message=_("A share is more than nothing."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meter} {self.company} {self.weight}"


class MeterReading(models.Model):
    """A register value read on a day (per band for a time-of-use meter). The first reading of a
    meter is its opening; each later one measures what was used since the one before."""

    class Flag(models.TextChoices):
        NONE = "", _("none")
        SPIKE = "spike", _("far from its usual consumption")
        RESOLVED = "resolved", _("checked")

    meter = models.ForeignKey(Meter, verbose_name=_("meter"), on_delete=models.PROTECT, related_name="readings")
    read_on = models.DateField(_("read on"))
    band = models.CharField(_("band"), max_length=10, choices=Band.choices, default=Band.TOTAL)
    value = models.DecimalField(_("register value"), **QUANTITY)
    rolled_over = models.BooleanField(
        _("register rolled over"),
        default=False,
        help_text=_("The register passed its last digit since the reading before."),
    )
    is_estimate = models.BooleanField(_("estimate"), default=False)
    consumption = models.DecimalField(
        _("consumption"),
        **QUANTITY,
        default=0,
        help_text=_("Since the reading before, times the multiplier; below zero only where it trues up an estimate."),
    )
    flag = models.CharField(_("review"), max_length=10, choices=Flag.choices, blank=True, default="")
    flag_note = models.CharField(_("review note"), max_length=300, blank=True)
    photo = models.FileField(_("photo"), upload_to="meters/photos/%Y/", blank=True, validators=[validate_image_upload])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when a metering system posted it."),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["recorded_at"])

    class Meta:
        verbose_name = _("meter reading")
        verbose_name_plural = _("meter readings")
        ordering = ["meter", "band", "read_on"]
        indexes = [models.Index(fields=["read_on", "meter"])]
        constraints = [
            models.UniqueConstraint(
                fields=["meter", "band", "read_on"],
                name="meter_reading_once_a_day",
                violation_error_message=_("This meter already has a reading on that day."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="meter_reading_not_negative",
                violation_error_message=_("A register value is not negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meter} {self.read_on:%Y-%m-%d} {self.value}"


class Tariff(models.Model):
    """The price of a kind of utility from a day on: flat, tiered by consumption, or by time-of-use
    band; with the operator's loss factor (损耗) and service surcharge per unit, if any."""

    class Method(models.TextChoices):
        FLAT = "flat", _("flat per unit")
        TIERED = "tiered", _("tiered by consumption")
        TIME_OF_USE = "time_of_use", _("time of use")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    effective_from = models.DateField(_("in force from"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.FLAT)
    loss_factor = models.DecimalField(
        _("loss factor"), max_digits=6, decimal_places=4, default=0, help_text=_("0.03 bills 3 per cent more units.")
    )
    surcharge = models.DecimalField(_("service surcharge per unit (CNY)"), max_digits=10, decimal_places=4, default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "effective_from"],
                name="tariff_once_a_day_per_kind",
                violation_error_message=_("This utility already has a tariff from that day."),
            ),
            models.CheckConstraint(
                condition=Q(loss_factor__gte=0) & Q(loss_factor__lt=1) & Q(surcharge__gte=0),
                name="tariff_loss_and_surcharge_sane",
                violation_error_message=_("A loss factor is from 0 to below 1, a surcharge not negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_from:%Y-%m-%d}"


class TariffPrice(models.Model):
    """A price of a tariff: per band (time of use), per tier (up to a consumption), or the one price."""

    tariff = models.ForeignKey(Tariff, verbose_name=_("tariff"), on_delete=models.CASCADE, related_name="prices")
    band = models.CharField(_("band"), max_length=10, choices=Band.choices, default=Band.TOTAL)
    up_to = models.DecimalField(
        _("up to (units a period)"), **QUANTITY, null=True, blank=True, help_text=_("Empty: the last tier.")
    )
    price = models.DecimalField(_("price per unit (CNY)"), max_digits=10, decimal_places=4)

    class Meta:
        verbose_name = _("tariff price")
        verbose_name_plural = _("tariff prices")
        ordering = ["tariff", "band", F("up_to").asc(nulls_last=True)]
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="tariff_price_not_negative",
                violation_error_message=_("A price is not negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_band_display()} {self.price}"


class TariffHours(models.Model):
    """When a time-of-use band applies: ``ends_at`` 00:00 is midnight. A time-of-use tariff's hours
    cover the day once (checked when the tariff is saved); they explain the bands on every charge."""

    tariff = models.ForeignKey(Tariff, verbose_name=_("tariff"), on_delete=models.CASCADE, related_name="hours")
    band = models.CharField(_("band"), max_length=10, choices=Band.choices)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"), help_text=_("00:00 is midnight."))

    class Meta:
        verbose_name = _("band hours")
        verbose_name_plural = _("band hours")
        ordering = ["tariff", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")) | Q(ends_at=datetime.time(0)),
                name="tariff_hours_end_after_start",
                violation_error_message=_("Band hours end after they start (00:00 is midnight)."),
            ),
            models.CheckConstraint(
                condition=~Q(band="total"),
                name="tariff_hours_of_a_band",
                violation_error_message=_("Hours are for a time-of-use band."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_band_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class UtilityRun(models.Model):
    """A building's utility billing for one period: draft → calculated → reviewed → posted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CALCULATED = "calculated", _("calculated")
        REVIEWED = "reviewed", _("reviewed")
        POSTED = "posted", _("posted")

    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    due_days = models.PositiveSmallIntegerField(_("days to pay"), default=15)
    calculated_at = models.DateTimeField(_("calculated at"), null=True, blank=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("utility run")
        verbose_name_plural = _("utility runs")
        ordering = ["-period_start", "building"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "period_start"],
                name="utility_run_once_a_period",
                violation_error_message=_("This building already has a run for that period."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="utility_run_period_ends_after_start",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.building} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"


class UtilityCharge(models.Model):
    """What one company is charged for one meter (or its share of a shared meter) in a run, with
    everything that explains it: readings, multiplier, consumption, bands or tiers, prices, shares."""

    class Source(models.TextChoices):
        METER = "meter", _("its own meter")
        SHARED = "shared", _("shared consumption (公摊)")

    run = models.ForeignKey(UtilityRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="charges")
    company = models.ForeignKey(TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="+")
    meter = models.ForeignKey(Meter, verbose_name=_("meter"), on_delete=models.PROTECT, related_name="charges")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("charged for"), max_length=10, choices=Source.choices)
    consumption = models.DecimalField(_("consumption"), **QUANTITY)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    explanation = models.JSONField(_("how it was computed"))
    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("utility charge")
        verbose_name_plural = _("utility charges")
        ordering = ["run", "company", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.company} {self.get_kind_display()} {self.amount}"


class ChargeDispute(models.Model):
    """A tenant questioning a charge (within ``PARKOPS_DISPUTE_DAYS`` of its posting), and staff's answer:
    explained as it stands, or corrected by a credit note on its bill line."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        EXPLAINED = "explained", _("explained")
        CORRECTED = "corrected", _("corrected")

    charge = models.ForeignKey(
        UtilityCharge, verbose_name=_("charge"), on_delete=models.PROTECT, related_name="disputes"
    )
    company = models.ForeignKey(TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="+")
    message = models.TextField(_("message"))
    photo = models.FileField(
        _("photo"), upload_to="meters/disputes/%Y/", blank=True, validators=[validate_image_upload]
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    corrected_amount = models.DecimalField(_("corrected to (CNY)"), **MONEY, null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("charge dispute")
        verbose_name_plural = _("charge disputes")
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["charge"],
                condition=Q(status="open"),
                name="charge_dispute_one_open",
                violation_error_message=_("This charge is already disputed."),
            ),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(answer=""),
                name="charge_dispute_answered_with_words",
                violation_error_message=_("An answer says why."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.charge} ({self.get_status_display()})"
