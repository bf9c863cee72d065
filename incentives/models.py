"""Incentive policies (优惠政策) and what staff grant under them: a rent reduction credited on the
company's bills, or a talent-apartment quota by headcount, each on conditions tied to the figures
the company reported (``filings``), its industry cluster and its lease."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from billing.models import Bill, BillLine
from core.i18n import localised
from core.validators import validate_business_date
from tenants.models import IndustryCluster, TenantCompany

MONEY = {"max_digits": 14, "decimal_places": 2}


class IncentivePolicy(models.Model):
    class Kind(models.TextChoices):
        RENT_REDUCTION = "rent_reduction", _("rent reduction")
        APARTMENT_QUOTA = "apartment_quota", _("talent-apartment quota")

    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    clusters = models.ManyToManyField(
        IndustryCluster, verbose_name=_("industry clusters"), blank=True, help_text=_("Empty: any cluster.")
    )
    requires_lease = models.BooleanField(_("needs a lease in force"), default=True)
    indicator_code = models.SlugField(
        _("condition: indicator"),
        max_length=40,
        blank=True,
        help_text=_("The reported figure the condition is on (its code), e.g. tax."),
    )
    threshold = models.DecimalField(
        _("condition: at least"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The sum of that figure over the last quarters counted must reach this, in the indicator's unit."),
    )
    quarters_counted = models.PositiveSmallIntegerField(
        _("quarters counted"), default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    reduction_percent = models.DecimalField(
        _("rent reduction (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    months = models.PositiveSmallIntegerField(
        _("months granted"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    employees_per_bed = models.PositiveSmallIntegerField(
        _("employees per bed"), null=True, blank=True, help_text=_("Quota: one bed for this many employees.")
    )
    max_beds = models.PositiveSmallIntegerField(_("at most beds"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("incentive policy")
        verbose_name_plural = _("incentive policies")
        ordering = ["name_zh"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="rent_reduction") | Q(reduction_percent__gt=0, reduction_percent__lte=100),
                name="policy_reduction_has_percent",
                violation_error_message=_("A rent reduction needs its percentage (above 0, at most 100)."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="apartment_quota") | Q(employees_per_bed__gt=0),
                name="policy_quota_has_ratio",
                violation_error_message=_("A quota needs the number of employees per bed."),
            ),
            models.CheckConstraint(
                condition=Q(threshold__isnull=True) | ~Q(indicator_code=""),
                name="policy_threshold_names_indicator",
                violation_error_message=_("Name the indicator the threshold is on."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class IncentiveGrant(models.Model):
    """A policy granted to a company for a span of days, with the figures it was based on."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        FLAGGED = "flagged", _("condition not met: staff to decide")
        WITHDRAWN = "withdrawn", _("withdrawn")

    policy = models.ForeignKey(
        IncentivePolicy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="grants"
    )
    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="incentive_grants"
    )
    starts_on = models.DateField(_("from"), validators=[validate_business_date])
    ends_on = models.DateField(_("until"), validators=[validate_business_date])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    basis = models.JSONField(_("figures it was based on"), default=dict)
    beds = models.PositiveSmallIntegerField(_("beds granted"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    flag_reason = models.TextField(_("why flagged"), blank=True)
    flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("incentive grant")
        verbose_name_plural = _("incentive grants")
        ordering = ["-starts_on", "company__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="grant_dates_in_order",
                violation_error_message=_("A grant cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(status="flagged") | (~Q(flag_reason="") & Q(flagged_at__isnull=False)),
                name="grant_flag_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.company}"


class GrantCredit(models.Model):
    """A rent reduction credited on one bill line (a credit note through the billing services)."""

    grant = models.ForeignKey(IncentiveGrant, verbose_name=_("grant"), on_delete=models.PROTECT, related_name="credits")
    bill = models.ForeignKey(Bill, verbose_name=_("bill"), on_delete=models.PROTECT, related_name="+")
    bill_line = models.ForeignKey(BillLine, verbose_name=_("bill line"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount credited (CNY)"), **MONEY)
    credit_note = models.CharField(_("credit note"), max_length=40)
    created_at = models.DateTimeField(_("credited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("incentive credit")
        verbose_name_plural = _("incentive credits")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "bill_line"], name="grant_credits_a_line_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_credit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.credit_note} {self.amount}"
