from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _

from parkops.db import DateRange, PostgresExclusionConstraint
from tenants.models import TenantCompany

from .inventory import Unit


class Lease(models.Model):
    """An office lease of one or more units to a tenant company."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SIGNED = "signed", _("signed")

    number = models.CharField(_("lease number"), max_length=40, unique=True)
    tenant = models.ForeignKey(TenantCompany, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="leases")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), help_text=_("The last day of the term (inclusive)."))
    units = models.ManyToManyField(Unit, verbose_name=_("units"), through="LeaseUnit", related_name="leases")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        ordering = ["-starts_on", "number"]
        constraints = [
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
        ]

    def __str__(self) -> str:
        return self.number


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
