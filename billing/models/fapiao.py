"""Fapiao (发票): what the company asked to be issued for a bill, what the tax platform (or staff by
hand) issued, and the red-letter fapiao (红字发票) that correct them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from tenants.models import TenantCompany

from .bills import MONEY, Bill, BillLine
from .invoicing import InvoicingProfile

NET_AND_TAX_MAKE_THE_AMOUNT = _("The net amount and the VAT add up to the amount exactly.")


def _net_and_tax_make_the_amount(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        # Rounded to the fen: exact on PostgreSQL, and SQLite adds its decimals as floats.
        condition=Exact(Round(F("net_amount") + F("tax_amount"), 2), F("amount")),
        name=name,
        violation_error_message=NET_AND_TAX_MAKE_THE_AMOUNT,
    )


class FapiaoBatch(models.Model):
    """One file of fapiao sent to the national tax platform's batch issue (批量开具), and the result
    file it answered with."""

    exported_at = models.DateTimeField(_("exported at"), auto_now_add=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("exported by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    file = models.FileField(_("export file"), upload_to="fapiao/batches/")
    result_file = models.FileField(_("result file"), upload_to="fapiao/results/", blank=True)
    result_imported_at = models.DateTimeField(_("result imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("fapiao batch")
        verbose_name_plural = _("fapiao batches")
        ordering = ["-exported_at"]

    def __str__(self) -> str:
        return _("batch %(number)s of %(time)s") % {"number": self.pk, "time": f"{self.exported_at:%Y-%m-%d %H:%M}"}


class FapiaoQuerySet(models.QuerySet):
    def live(self) -> "FapiaoQuerySet":
        """Requested, with the tax platform, or issued: the bill's one standing fapiao."""
        return self.filter(status__in=Fapiao.LIVE_STATUSES)


class Fapiao(models.Model):
    """A fapiao for a bill: requested (by the tenant, staff or the operator's policy), sent to the tax
    platform in a batch, issued with its number and date, red-lettered when a credit note corrects
    the bill. The buyer's details and the lines are copied when it is requested."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        SUBMITTED = "submitted", _("with the tax platform")
        ISSUED = "issued", _("issued")
        RED_LETTERED = "red_lettered", _("red-lettered")
        CANCELLED = "cancelled", _("cancelled")

    class Provider(models.TextChoices):
        TAX_PLATFORM = "tax_platform", _("tax platform batch file")
        MANUAL = "manual", _("entered by hand")

    LIVE_STATUSES = (Status.REQUESTED, Status.SUBMITTED, Status.ISSUED)

    company = models.ForeignKey(TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="+")
    bill = models.ForeignKey(Bill, verbose_name=_("bill"), on_delete=models.PROTECT, related_name="fapiaos")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    fapiao_type = models.CharField(_("fapiao type"), max_length=20, choices=InvoicingProfile.FapiaoType.choices)
    buyer_title = models.CharField(_("buyer's name (名称)"), max_length=200)
    buyer_taxpayer_number = models.CharField(_("buyer's taxpayer number"), max_length=18)
    buyer_address_phone = models.CharField(_("buyer's address and phone"), max_length=200, blank=True)
    buyer_bank_account = models.CharField(_("buyer's bank and account"), max_length=200, blank=True)
    buyer_email = models.CharField(_("delivery email"), max_length=254)
    amount = models.DecimalField(_("amount with VAT (CNY)"), **MONEY)
    net_amount = models.DecimalField(_("net of VAT (CNY)"), **MONEY)
    tax_amount = models.DecimalField(_("VAT (CNY)"), **MONEY)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the operator's policy requested it."),
    )
    batch = models.ForeignKey(
        FapiaoBatch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fapiaos",
    )
    provider = models.CharField(_("issued through"), max_length=20, choices=Provider.choices, blank=True)
    number = models.CharField(_("fapiao number"), max_length=20, unique=True, null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    document = models.FileField(_("fapiao file"), upload_to="fapiao/files/%Y/", blank=True)
    error = models.CharField(
        _("tax platform's answer"), max_length=300, blank=True, help_text=_("Why the tax platform refused it.")
    )

    objects = FapiaoQuerySet.as_manager()

    class Meta:
        verbose_name = _("fapiao")
        verbose_name_plural = _("fapiao")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bill"],
                condition=Q(status__in=["requested", "submitted", "issued"]),
                name="fapiao_one_standing_per_bill",
                violation_error_message=_("This bill already has a fapiao requested or issued."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["issued", "red_lettered"])
                | (Q(number__isnull=False) & Q(issued_on__isnull=False) & ~Q(provider="")),
                name="fapiao_issued_has_number_and_date",
                violation_error_message=_("An issued fapiao needs its number and date."),
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(batch__isnull=False),
                name="fapiao_submitted_in_a_batch",
                violation_error_message=_("A fapiao with the tax platform belongs to a batch."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="fapiao_amount_positive",
                violation_error_message=_("A fapiao is for a positive amount."),
            ),
            _net_and_tax_make_the_amount("fapiao_net_and_tax_make_the_amount"),
        ]

    def __str__(self) -> str:
        return self.number or _("fapiao requested for %(bill)s") % {"bill": self.bill}

    @property
    def request_number(self) -> str:
        """The number the batch file and the platform's result file know the request by (发票流水号)."""
        return f"PK{self.pk:010d}"


class FapiaoLine(models.Model):
    """A line of a fapiao: what a bill line billed, less what credit notes took off it before."""

    fapiao = models.ForeignKey(Fapiao, verbose_name=_("fapiao"), on_delete=models.CASCADE, related_name="lines")
    bill_line = models.ForeignKey(BillLine, verbose_name=_("bill line"), on_delete=models.PROTECT, related_name="+")
    item_name = models.CharField(_("item (项目名称)"), max_length=200)
    goods_code = models.CharField(_("goods and services tax code"), max_length=19)
    tax_rate = models.DecimalField(_("VAT rate"), max_digits=5, decimal_places=4)
    amount = models.DecimalField(_("amount with VAT (CNY)"), **MONEY)
    net_amount = models.DecimalField(_("net of VAT (CNY)"), **MONEY)
    tax_amount = models.DecimalField(_("VAT (CNY)"), **MONEY)

    class Meta:
        verbose_name = _("fapiao line")
        verbose_name_plural = _("fapiao lines")
        ordering = ["fapiao", "pk"]
        constraints = [_net_and_tax_make_the_amount("fapiao_line_net_and_tax_make_the_amount")]

    def __str__(self) -> str:
        return self.item_name


class RedLetterFapiao(models.Model):
    """A red-letter fapiao (红字发票): the part of an issued fapiao a credit note took back, with the
    confirmation number (红字确认单编号) the buyer and seller agreed on the tax platform."""

    fapiao = models.ForeignKey(Fapiao, verbose_name=_("fapiao"), on_delete=models.PROTECT, related_name="red_letters")
    credit_note_number = models.CharField(_("credit note"), max_length=30)
    confirmation_number = models.CharField(_("red-letter confirmation number (红字确认单编号)"), max_length=30)
    number = models.CharField(_("red-letter fapiao number"), max_length=20, blank=True)
    amount = models.DecimalField(_("amount with VAT (CNY)"), **MONEY)
    net_amount = models.DecimalField(_("net of VAT (CNY)"), **MONEY)
    tax_amount = models.DecimalField(_("VAT (CNY)"), **MONEY)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("red-letter fapiao")
        verbose_name_plural = _("red-letter fapiao")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["confirmation_number"],
                name="red_letter_confirmation_once",
                violation_error_message=_("This red-letter confirmation number is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="red_letter_amount_positive",
                violation_error_message=_("A red-letter fapiao takes back a positive amount."),
            ),
            models.CheckConstraint(
                condition=~Q(confirmation_number=""),
                name="red_letter_has_confirmation_number",
                violation_error_message=_("A red-letter fapiao needs its confirmation number."),
            ),
            _net_and_tax_make_the_amount("red_letter_net_and_tax_make_the_amount"),
        ]

    def __str__(self) -> str:
        return self.number or self.confirmation_number
