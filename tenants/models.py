from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .validators import validate_credit_code

HEX_COLOUR_REGEX = r"^#[0-9a-fA-F]{6}$"


def localised(zh: str, en: str) -> str:
    """The English text when English is active and one exists, else the Chinese."""
    language = get_language() or ""
    return en if language.startswith("en") and en else zh


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
    is_demo = models.BooleanField(_("demo data"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

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
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name
