"""Bank statements as the bank exported them, line by line, and what each line was found to pay."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from billing.models import MONEY, Bill, Payment
from tenants.models import TenantCompany


class StatementLayout(models.Model):
    """Where a bank's export puts each thing: the column headings, as the file writes them. Saved
    once per bank (and per file layout the bank offers) and chosen at each upload."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    bank = models.CharField(
        _("bank account"),
        max_length=80,
        help_text=_("The account the statements are of: serial numbers are unique within it."),
    )
    date_column = models.CharField(_("date column"), max_length=40, default="交易日期")
    payer_name_column = models.CharField(_("payer name column"), max_length=40, default="对方户名")
    payer_account_column = models.CharField(_("payer account column"), max_length=40, default="对方账号")
    amount_column = models.CharField(
        _("amount column"), max_length=40, blank=True, help_text=_("One signed amount; leave empty for two columns.")
    )
    credit_column = models.CharField(
        _("money-in column"), max_length=40, blank=True, help_text=_("贷方金额 or 收入金额, when in and out are apart.")
    )
    debit_column = models.CharField(_("money-out column"), max_length=40, blank=True)
    remark_column = models.CharField(_("remark column"), max_length=40, default="摘要")
    serial_column = models.CharField(
        _("serial number column"), max_length=40, blank=True, help_text=_("Empty when the bank gives no serial.")
    )

    class Meta:
        verbose_name = _("statement layout")
        verbose_name_plural = _("statement layouts")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount_column="") | ~Q(credit_column=""),
                name="statement_layout_has_an_amount",
                violation_error_message=_("Name the amount column, or the money-in column."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def columns(self) -> dict[str, str]:
        """Field → heading, for the headings this layout uses."""
        named = {
            "date": self.date_column,
            "payer_name": self.payer_name_column,
            "payer_account": self.payer_account_column,
            "amount": self.amount_column,
            "credit": self.credit_column,
            "debit": self.debit_column,
            "remark": self.remark_column,
            "serial": self.serial_column,
        }
        return {field: heading for field, heading in named.items() if heading}


class BankStatement(models.Model):
    """One uploaded file, kept as it came."""

    layout = models.ForeignKey(StatementLayout, verbose_name=_("layout"), on_delete=models.PROTECT)
    file = models.FileField(_("file"), upload_to="bank-statements/%Y/")
    filename = models.CharField(_("file name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    first_day = models.DateField(_("from"), null=True)
    last_day = models.DateField(_("to"), null=True)
    rows = models.PositiveIntegerField(_("lines in the file"), default=0)
    duplicates = models.PositiveIntegerField(
        _("lines already imported"), default=0, help_text=_("Lines an earlier upload brought in, skipped.")
    )

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.layout} {self.first_day or ''}–{self.last_day or ''}"


class StatementLineQuerySet(models.QuerySet):
    def waiting(self) -> "StatementLineQuerySet":
        """Money in that nobody has confirmed or set aside yet."""
        return self.filter(status__in=[StatementLine.Status.UNMATCHED, StatementLine.Status.SUGGESTED])


class StatementLine(models.Model):
    """A line of a statement: its raw cells, what they say, and what it was matched to."""

    class Status(models.TextChoices):
        UNMATCHED = "unmatched", _("unmatched")
        SUGGESTED = "suggested", _("match suggested")
        CONFIRMED = "confirmed", _("confirmed")
        NOT_RENT = "not_rent", _("not rent")
        OUTGOING = "outgoing", _("money out")

    statement = models.ForeignKey(
        BankStatement, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="lines"
    )
    row = models.PositiveIntegerField(_("row in the file"))
    raw = models.JSONField(_("cells as exported"))
    bank = models.CharField(_("bank account"), max_length=80)
    booked_on = models.DateField(_("date"))
    payer_name = models.CharField(_("payer"), max_length=200, blank=True)
    payer_account = models.CharField(_("payer's account"), max_length=60, blank=True)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY, help_text=_("Money in is positive, money out negative."))
    remark = models.CharField(_("remark"), max_length=300, blank=True)
    serial = models.CharField(_("bank serial"), max_length=80, blank=True)
    fingerprint = models.CharField(_("line hash"), max_length=64)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UNMATCHED)
    company = models.ForeignKey(
        TenantCompany,
        verbose_name=_("payer company"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resident_name = models.CharField(_("resident paying"), max_length=60, blank=True)
    bill = models.ForeignKey(
        Bill, verbose_name=_("bill"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confidence = models.PositiveSmallIntegerField(_("confidence"), default=0, help_text=_("0 to 100."))
    match_reason = models.CharField(_("why"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = StatementLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["booked_on", "pk"]
        indexes = [models.Index(fields=["status", "booked_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["bank", "serial"],
                condition=~Q(serial=""),
                name="statement_line_serial_once",
                violation_error_message=_("This bank serial number is already imported."),
            ),
            models.UniqueConstraint(
                fields=["bank", "fingerprint"],
                condition=Q(serial=""),
                name="statement_line_hash_once",
                violation_error_message=_("This statement line is already imported."),
            ),
            models.CheckConstraint(
                condition=Q(confidence__lte=100),
                name="statement_line_confidence_in_range",
                violation_error_message=_("A confidence is between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=~Q(status="outgoing") | Q(amount__lt=0),
                name="statement_line_outgoing_is_negative",
                violation_error_message=_("Only money out is outgoing."),
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(amount__gt=0),
                name="statement_line_confirmed_is_money_in",
                violation_error_message=_("Only money in becomes a payment."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booked_on:%Y-%m-%d} {self.payer_name} {self.amount}"


class StatementLinePayment(models.Model):
    """A payment a confirmed line became: one, or several when the line pays several bills or payers."""

    line = models.ForeignKey(
        StatementLine, verbose_name=_("statement line"), on_delete=models.PROTECT, related_name="payments"
    )
    payment = models.OneToOneField(Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("payment from a statement line")
        verbose_name_plural = _("payments from statement lines")

    def __str__(self) -> str:
        return f"{self.line_id} → {self.payment_id}"


class PayerAccount(models.Model):
    """A bank account a payer has paid from before: the next transfer from it is theirs."""

    account = models.CharField(_("account number"), max_length=60, unique=True)
    account_name = models.CharField(_("account name"), max_length=200, blank=True)
    company = models.ForeignKey(TenantCompany, verbose_name=_("company"), on_delete=models.CASCADE, related_name="+")
    resident_name = models.CharField(_("resident paying"), max_length=60, blank=True)
    first_seen_on = models.DateField(_("first seen on"))

    class Meta:
        verbose_name = _("payer account")
        verbose_name_plural = _("payer accounts")

    def __str__(self) -> str:
        return f"{self.account} → {self.company}"
