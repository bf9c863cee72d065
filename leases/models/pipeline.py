import datetime

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import validate_business_date
from spaces.models import Floor, Unit
from tenants.models import TenantCompany

from .contracts import Lease


class ProspectQuerySet(models.QuerySet):
    def open(self) -> "ProspectQuerySet":
        return self.exclude(stage__in=[Prospect.Stage.SIGNED, Prospect.Stage.LOST])

    def with_last_activity(self) -> "ProspectQuerySet":
        """``last_activity_at``: the latest activity, or the prospect's creation when it has none."""
        return self.annotate(last_activity_at=Coalesce(Max("activities__happened_at"), "created_at"))

    def stale(self, *, on: datetime.date, days: int) -> "ProspectQuerySet":
        """Open deals with no activity for ``days`` days or past their next-action date."""
        quiet_since = timezone.make_aware(
            datetime.datetime.combine(on - datetime.timedelta(days=days), datetime.time())
        )
        return self.open().with_last_activity().filter(Q(last_activity_at__lt=quiet_since) | Q(next_action_on__lt=on))


class Prospect(models.Model):
    """A deal in the leasing pipeline (招商), from first contact to signature."""

    class Stage(models.TextChoices):
        LEAD = "lead", _("lead")
        SITE_VISIT = "site_visit", _("site visit")
        PROPOSAL = "proposal", _("proposal")
        NEGOTIATING = "negotiating", _("negotiating")
        SIGNED = "signed", _("signed")
        LOST = "lost", _("lost")

    class RentBasis(models.TextChoices):
        PER_DAY = "per_day", _("CNY per m² per day")
        PER_MONTH = "per_month", _("CNY per m² per month")

    company = models.ForeignKey(
        TenantCompany, verbose_name=_("company"), on_delete=models.PROTECT, related_name="prospects"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.LEAD)
    lost_reason = models.TextField(_("reason lost"), blank=True)
    units_of_interest = models.ManyToManyField(Unit, verbose_name=_("units of interest"), blank=True, related_name="+")
    floors_of_interest = models.ManyToManyField(
        Floor, verbose_name=_("floors of interest"), blank=True, related_name="+"
    )
    area_wanted = models.DecimalField(_("area wanted (m²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    quoted_rent = models.DecimalField(_("quoted rent"), max_digits=10, decimal_places=2, null=True, blank=True)
    quoted_rent_basis = models.CharField(
        _("quoted per"), max_length=20, choices=RentBasis.choices, default=RentBasis.PER_DAY
    )
    rent_free_months = models.DecimalField(_("rent-free months"), max_digits=4, decimal_places=1, default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"is_staff": True},
        related_name="+",
    )
    next_action = models.CharField(_("next action"), max_length=200, blank=True)
    next_action_on = models.DateField(_("next action on"), null=True, blank=True, validators=[validate_business_date])
    lease = models.OneToOneField(
        Lease,
        verbose_name=_("lease"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prospect",
        editable=False,
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProspectQuerySet.as_manager()

    class Meta:
        verbose_name = _("prospect")
        verbose_name_plural = _("leasing pipeline")
        ordering = ["next_action_on", "-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="lost") | ~Q(lost_reason=""),
                name="prospect_lost_has_reason",
                violation_error_message=_("Say why the deal was lost."),
            ),
            models.CheckConstraint(
                condition=Q(area_wanted__isnull=True) | Q(area_wanted__gt=0),
                name="prospect_area_positive",
                violation_error_message=_("The area wanted must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(quoted_rent__isnull=True) | Q(quoted_rent__gte=0),
                name="prospect_rent_not_negative",
                violation_error_message=_("The quoted rent cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(rent_free_months__gte=0),
                name="prospect_rent_free_not_negative",
                violation_error_message=_("Rent-free months cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company.display_name} · {self.get_stage_display()}"


class ProspectActivity(models.Model):
    class Kind(models.TextChoices):
        CALL = "call", _("call")
        VISIT = "visit", _("site visit")
        MEETING = "meeting", _("meeting")
        EMAIL = "email", _("email")
        PROPOSAL = "proposal", _("proposal sent")
        NOTE = "note", _("note")

    prospect = models.ForeignKey(
        Prospect, verbose_name=_("prospect"), on_delete=models.CASCADE, related_name="activities"
    )
    happened_at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NOTE)
    note = models.TextField(_("note"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        ordering = ["-happened_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_at:%Y-%m-%d}"
