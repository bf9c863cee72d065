"""Bills, their lines, and the gap-free numbers of the documents billing issues."""

import datetime
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tenants.models import TenantCompany

MONEY = {"max_digits": 14, "decimal_places": 2}


class BillFapiaoStatus(models.TextChoices):
    """Where a bill's fapiao stand, the most advanced first (a fapiao's own statuses, less cancelled)."""

    RED_LETTERED = "red_lettered", _("red-lettered")
    ISSUED = "issued", _("issued")
    SUBMITTED = "submitted", _("with the tax platform")
    REQUESTED = "requested", _("requested")
    NOT_REQUESTED = "", _("not requested")


class BillQuerySet(models.QuerySet):
    def open(self) -> "BillQuerySet":
        """Issued bills with something left to pay."""
        return self.filter(status__in=Bill.OPEN_STATUSES)

    def outstanding(self) -> "BillQuerySet":
        return self.annotate(outstanding=F("amount_due") - F("amount_paid"))


class LateFeeTerms(models.Model):
    """Late-fee terms (滞纳金) as a contract states them: a lease has them, and each of its bills
    keeps a copy of those in force when it was scheduled."""

    late_fee_rate = models.DecimalField(
        _("late fee per day"),
        max_digits=7,
        decimal_places=6,
        default=Decimal("0"),
        help_text=_("A fraction of the overdue amount charged for each day late: 0.0005 is 0.05 per cent a day."),
    )
    late_fee_grace_days = models.PositiveSmallIntegerField(_("late fee grace days"), default=0)
    late_fee_cap_ratio = models.DecimalField(
        _("late fee cap"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        help_text=_("Late fees on a bill never exceed this multiple of what it bills: 1.00 is the amount itself."),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(late_fee_rate__gte=0)
                & Q(late_fee_rate__lte=Decimal("0.01"))
                & Q(late_fee_cap_ratio__gte=0),
                name="%(app_label)s_%(class)s_late_fee_terms_sane",
                violation_error_message=_(
                    "A late fee is between 0 and 1 per cent a day, under a cap that is not negative."
                ),
            ),
        ]


class Bill(LateFeeTerms):
    """A bill to a payer for one period. Until issued it is only scheduled, and the lease's schedule
    may replace it; once issued its amount never changes. What happens to it afterwards (credit
    notes, debit adjustments, late fees, voiding, payments) is written in the ledger; ``amount_due``,
    ``amount_paid`` and ``status`` are the ledger's figures kept on the bill for lists and filters."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled (not issued)")
        ISSUED = "issued", _("issued")
        PARTLY_PAID = "partly_paid", _("partly paid")
        PAID = "paid", _("paid")
        OVERDUE = "overdue", _("overdue")
        VOID = "void", _("void")

    # Issued and not fully paid: the only bills a payment or credit is applied to.
    OPEN_STATUSES = (Status.ISSUED, Status.PARTLY_PAID, Status.OVERDUE)

    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="bills"
    )
    lease = models.ForeignKey(
        "leases.Lease", verbose_name=_("lease"), on_delete=models.PROTECT, null=True, blank=True, related_name="bills"
    )
    resident_name = models.CharField(
        _("addressed to resident"),
        max_length=60,
        blank=True,
        help_text=_("Set when a talent-apartment resident pays the rent, not the company."),
    )
    number = models.CharField(_("bill number"), max_length=30, unique=True, null=True, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due on"))
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    amount = models.DecimalField(_("amount billed (CNY)"), **MONEY)
    amount_due = models.DecimalField(
        _("to pay (CNY)"),
        **MONEY,
        default=0,
        help_text=_("The amount billed, with credit notes, debit adjustments and late fees; nothing once void."),
    )
    amount_paid = models.DecimalField(_("paid (CNY)"), **MONEY, default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BillQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["company", "status", "due_on"]), models.Index(fields=["lease", "period_start"])]
        constraints = [
            *LateFeeTerms.Meta.constraints,
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount_due__gte=0) & Q(amount_paid__gte=0),
                name="bill_amounts_not_negative",
                violation_error_message=_("A bill's amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(amount_paid__lte=F("amount_due")),
                name="bill_paid_within_amount",
                violation_error_message=_("A bill cannot be paid beyond what it asks."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="bill_period_ends_after_start",
                violation_error_message=_("A billing period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status="scheduled") | (Q(number__isnull=False) & Q(issued_on__isnull=False)),
                name="bill_issued_has_number_and_date",
                violation_error_message=_("An issued bill needs its number and issue date."),
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("scheduled bill %(start)s–%(end)s") % {
            "start": self.period_start.isoformat(),
            "end": self.period_end.isoformat(),
        }

    @property
    def outstanding_amount(self):
        return self.amount_due - self.amount_paid

    @property
    def adjustments(self):
        """What credit notes, debit adjustments, late fees and waivers (or voiding) changed the bill by."""
        return self.amount_due - self.amount

    @property
    def fapiao_status(self) -> BillFapiaoStatus:
        """The most advanced of its fapiao's statuses (prefetch ``fapiaos`` for lists)."""
        statuses = {fapiao.status for fapiao in self.fapiaos.all()}
        return next(status for status in BillFapiaoStatus if status in statuses or not status)

    def days_overdue(self, *, on: datetime.date) -> int:
        return max((on - self.due_on).days, 0)


class BillLine(models.Model):
    class Kind(models.TextChoices):
        RENT = "rent", _("rent")
        FEE = "fee", _("property-management fee")
        APARTMENT = "apartment", _("talent-apartment rent")
        ELECTRICITY = "electricity", _("electricity")
        WATER = "water", _("water")
        COOLING = "cooling", _("air-conditioning energy")
        GAS = "gas", _("gas")
        OTHER = "other", _("other")

    bill = models.ForeignKey(Bill, verbose_name=_("bill"), on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    amount = models.DecimalField(_("amount (CNY)"), **MONEY, help_text=_("Tax included, as the contract prices it."))
    tax_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4, default=0)
    net_amount = models.DecimalField(_("net of VAT (CNY)"), **MONEY, default=0)
    tax_amount = models.DecimalField(_("VAT (CNY)"), **MONEY, default=0)
    source = models.CharField(
        _("charged for"),
        max_length=80,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("What the line charges for, as the app that asked for it names it (a resident's month, say)."),
    )

    class Meta:
        verbose_name = _("bill line")
        verbose_name_plural = _("bill lines")
        ordering = ["bill", "pk"]
        constraints = [
            models.CheckConstraint(
                # Rounded to the fen: exact on PostgreSQL, and SQLite adds its decimals as floats.
                condition=Exact(Round(F("net_amount") + F("tax_amount"), 2), F("amount")),
                name="bill_line_net_and_tax_make_the_amount",
                violation_error_message=_("The net amount and the VAT add up to the line exactly."),
            ),
        ]

    def __str__(self) -> str:
        return self.description or self.get_kind_display()


class DocumentNumberSequence(models.Model):
    """The last number a kind of document (bills ZD, receipts SJ) used in a year; its row is locked
    while numbers are taken, so the numbers have no gaps."""

    prefix = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="document_sequence_once_a_year")]

    def __str__(self) -> str:
        return f"{self.prefix}{self.year}: {self.last}"
