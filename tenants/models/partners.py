import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.uploads import random_name, validate_pdf_upload

from .companies import CompanyContact, TenantCompany


class PartnerAgreementQuerySet(models.QuerySet):
    def with_overdue_milestones(self, *, on: datetime.date) -> "PartnerAgreementQuerySet":
        """Each agreement with ``overdue_count``: its open milestones past their due date on ``on``."""
        closed = [Milestone.Status.DONE, Milestone.Status.CANCELLED]
        overdue = Q(milestones__due_on__lt=on) & ~Q(milestones__status__in=closed)
        return self.annotate(overdue_count=models.Count("milestones", filter=overdue))


class PartnerAgreement(models.Model):
    """A strategic partnership agreement between the operator and a partner company."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SIGNED = "signed", _("signed")
        ACTIVE = "active", _("active")
        EXPIRED = "expired", _("expired")
        TERMINATED = "terminated", _("terminated")

    partner = models.ForeignKey(
        TenantCompany, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="agreements"
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("term starts on"), null=True, blank=True)
    ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    scope = models.TextField(_("scope"), blank=True)
    partner_contact = models.ForeignKey(
        CompanyContact,
        verbose_name=_("partner's contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    operator_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("our contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"is_staff": True},
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = PartnerAgreementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner agreement")
        verbose_name_plural = _("partner agreements")
        ordering = ["-signed_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_term_ends_after_start",
                violation_error_message=_("The term cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(signed_on__isnull=False),
                name="agreement_signed_has_date",
                violation_error_message=_("A signed agreement needs its signing date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner.display_name} · {self.title}"

    def clean(self) -> None:
        if self.partner_contact_id and self.partner_id and self.partner_contact.company_id != self.partner_id:
            raise ValidationError({"partner_contact": _("The contact must work for the partner company.")})


def agreement_document_path(document: "AgreementDocument", filename: str) -> str:
    return random_name(f"agreements/{document.agreement_id}", "document.pdf")  # the content is checked to be a PDF


class AgreementDocument(models.Model):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("signed agreement")
        ANNEX = "annex", _("annex")
        MINUTES = "minutes", _("minutes")
        OTHER = "other", _("other")

    agreement = models.ForeignKey(
        PartnerAgreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.AGREEMENT)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("PDF file"), upload_to=agreement_document_path, validators=[validate_pdf_upload])
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False, default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        ordering = ["agreement", "uploaded_at"]

    def __str__(self) -> str:
        return self.title


class MilestoneQuerySet(models.QuerySet):
    def open(self) -> "MilestoneQuerySet":
        return self.exclude(status__in=[Milestone.Status.DONE, Milestone.Status.CANCELLED])

    def overdue(self, *, on: datetime.date) -> "MilestoneQuerySet":
        return self.open().filter(due_on__lt=on)

    def due_within(self, *, on: datetime.date, days: int) -> "MilestoneQuerySet":
        return self.open().filter(due_on__gte=on, due_on__lte=on + datetime.timedelta(days=days))


class Milestone(models.Model):
    """A commitment of an agreement, with its owner and due date; overdue ones are flagged daily."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    agreement = models.ForeignKey(
        PartnerAgreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="milestones"
    )
    description = models.CharField(_("description"), max_length=300)
    owner = models.CharField(_("owner"), max_length=100, help_text=_("Who answers for it, on either side."))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("What shows it was done."))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    overdue_flagged_on = models.DateField(
        _("flagged overdue on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set by the daily job the first time it finds the milestone overdue."),
    )

    objects = MilestoneQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False),
                name="milestone_done_has_date",
                violation_error_message=_("A milestone that is done needs its completion date."),
            ),
        ]

    def __str__(self) -> str:
        return self.description

    def days_overdue(self, *, on: datetime.date) -> int:
        """How many days past its due date an open milestone is on ``on``; 0 when done, cancelled or
        not yet due."""
        if self.status in (self.Status.DONE, self.Status.CANCELLED) or self.due_on >= on:
            return 0
        return (on - self.due_on).days
