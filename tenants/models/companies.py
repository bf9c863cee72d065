from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import localised
from tenants.validators import validate_credit_code

MONEY = {"max_digits": 16, "decimal_places": 2}

HEX_COLOUR_REGEX = r"^#[0-9a-fA-F]{6}$"


class IndustryCluster(models.Model):
    """An industry the tower targets (人工智能, 数字音乐, …); companies and reports group by it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=80)
    colour = models.CharField(_("chart colour"), max_length=7, help_text=_("Hex colour such as #1f77b4."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("industry cluster")
        verbose_name_plural = _("industry clusters")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__regex=HEX_COLOUR_REGEX),
                name="cluster_colour_is_hex",
                violation_error_message=_("The chart colour must be a hex colour such as #1f77b4."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.name_zh, self.name_en)


class TenantCompany(models.Model):
    """A company the tower deals with: a prospect, a tenant, a former tenant or a partner."""

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("prospect")
        NEGOTIATING = "negotiating", _("negotiating")
        TENANT = "tenant", _("tenant")
        FORMER = "former", _("former tenant")

    class Exchange(models.TextChoices):
        SSE = "SSE", _("Shanghai Stock Exchange")
        SZSE = "SZSE", _("Shenzhen Stock Exchange")
        BSE = "BSE", _("Beijing Stock Exchange")
        HKEX = "HKEX", _("Hong Kong Stock Exchange")
        NASDAQ = "NASDAQ", _("NASDAQ")
        NYSE = "NYSE", _("New York Stock Exchange")
        OTHER = "OTHER", _("other exchange")

    name = models.CharField(_("legal name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        help_text=_("统一社会信用代码: 18 characters, the last a check character."),
    )
    primary_cluster = models.ForeignKey(
        IndustryCluster,
        verbose_name=_("primary industry cluster"),
        on_delete=models.PROTECT,
        related_name="primary_companies",
    )
    secondary_clusters = models.ManyToManyField(
        IndustryCluster, verbose_name=_("secondary industry clusters"), blank=True, related_name="secondary_companies"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROSPECT)
    stock_exchange = models.CharField(_("stock exchange"), max_length=10, choices=Exchange.choices, blank=True)
    ticker = models.CharField(_("ticker"), max_length=20, blank=True)
    is_incubated_in_park = models.BooleanField(
        _("incubated in the park"), default=False, help_text=_("Grew up in the Yangcheng Creative Industry Park.")
    )
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    registered_capital = models.DecimalField(_("registered capital (CNY)"), **MONEY, null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[secondary_clusters])

    class Meta:
        verbose_name = _("tenant company")
        verbose_name_plural = _("tenant companies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_code__regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$"),
                name="company_credit_code_format",
                violation_error_message=_("The unified social credit code must be 18 valid characters."),
            ),
            models.CheckConstraint(
                condition=Q(stock_exchange="", ticker="") | (~Q(stock_exchange="") & ~Q(ticker="")),
                name="company_listing_has_exchange_and_ticker",
                violation_error_message=_("A listed company needs both its stock exchange and its ticker."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_listed(self) -> bool:
        return bool(self.stock_exchange)


class CompanyContact(models.Model):
    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=60)
    role = models.CharField(_("role"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["company", "-is_primary", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company"],
                condition=Q(is_primary=True),
                name="contact_one_primary_per_company",
                violation_error_message=_("A company has only one primary contact."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


class CompanyYearFigure(models.Model):
    """A company's figures for one year; the park reports output growth from them."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted for review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.CASCADE, related_name="year_figures"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    output_value = models.DecimalField(_("output value (CNY)"), **MONEY, null=True, blank=True)
    revenue = models.DecimalField(_("revenue (CNY)"), **MONEY, null=True, blank=True)
    headcount = models.PositiveIntegerField(_("headcount"), null=True, blank=True)
    patents = models.PositiveIntegerField(_("patents"), default=0)
    copyrights = models.PositiveIntegerField(_("copyrights"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACCEPTED)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        ordering = ["company", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "year"],
                name="year_figure_once_per_year",
                violation_error_message=_("This company already has figures for this year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="year_figure_plausible_year",
                violation_error_message=_("The year must lie between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(output_value__isnull=True) | Q(output_value__gte=0),
                name="year_figure_output_not_negative",
                violation_error_message=_("The output value cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.year}"


class TenantMembership(models.Model):
    """Makes a user a tenant user: the portal and the API scope everything by this company."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("company admin")
        MEMBER = "member", _("member")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="tenant_membership"
    )
    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    files_statistics = models.BooleanField(
        _("files statistics"),
        default=False,
        help_text=_("May fill in and submit the park statistics (company admins always may)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tenant user")
        verbose_name_plural = _("tenant users")
        ordering = ["company", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} · {self.company}"

    @property
    def may_file_statistics(self) -> bool:
        return self.role == self.Role.ADMIN or self.files_statistics
