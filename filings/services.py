"""The filing lifecycle: staff open a period (every tenant company gets a filing), companies fill
it in and submit it (then it is locked), staff accept it or return it with a comment; reminders
before the deadline and to late filers go through the notification channels."""

import datetime
from decimal import Decimal, InvalidOperation

import django.dispatch
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.events import Event
from notifications.services import News, notify, notify_each
from tenants.models import TenantCompany, TenantMembership

from .models import Filing, FilingEvidence, FilingValue, Indicator, PeriodIndicator, ReportingPeriod
from .selectors import comparison_values

# Sent when staff accept a filing, with ``filing``: the incentives check their conditions on it.
filing_accepted = django.dispatch.Signal()

REMIND_DAYS_BEFORE = (7, 3, 1)
REMIND_LATE_EVERY = 7  # days: the day after the deadline, then weekly
CHANGE_NEEDS_EXPLANATION = gettext_lazy(
    "This moved more than %(limit)s %% from the previous period or the same period last year: say why."
)


def _filers(company_ids) -> dict[int, list]:
    """Company pk → its users who may file statistics (one query)."""
    filers: dict[int, list] = {}
    for membership in TenantMembership.objects.filter(company__in=company_ids).select_related("user"):
        if membership.may_file_statistics:
            filers.setdefault(membership.company_id, []).append(membership.user)
    return filers


@transaction.atomic
def period_open(*, period: ReportingPeriod, on: datetime.date | None = None) -> int:
    """Open the period (it must ask at least one indicator) and give every tenant company a filing;
    run again, it adds filings for companies that became tenants since. Returns how many it added."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.status == ReportingPeriod.Status.CLOSED:
        raise ValidationError(_("This period is closed."))
    if not PeriodIndicator.objects.filter(period=period).exists():
        raise ValidationError(_("Choose the indicators the period asks before opening it."))
    if period.status == ReportingPeriod.Status.DRAFT:
        period.status, period.opened_at = ReportingPeriod.Status.OPEN, timezone.now()
        period.save(update_fields=["status", "opened_at"])
    has_one = Filing.objects.filter(period=period).values("company")
    companies = list(TenantCompany.objects.filter(status=TenantCompany.Status.TENANT).exclude(pk__in=has_one))
    Filing.objects.bulk_create(Filing(period=period, company=company) for company in companies)
    return len(companies)


def _locked_check(filing: Filing) -> None:
    if filing.is_locked:
        raise ValidationError(
            _("This filing is %(status)s: it can no longer be changed.") % {"status": filing.get_status_display()}
        )
    if filing.period.status != ReportingPeriod.Status.OPEN:
        raise ValidationError(_("This period is not open for filing."))


def _quantized(indicator: Indicator, raw) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except InvalidOperation as error:
        raise ValidationError(_("Enter a number.")) from error
    if not value.is_finite() or value < 0:
        raise ValidationError(_("Enter a number of zero or more."))
    places = Decimal(1).scaleb(-indicator.decimal_places)
    if value != value.quantize(places):
        raise ValidationError(
            _("%(unit)s with at most %(places)s decimal places.")
            % {"unit": indicator.unit, "places": indicator.decimal_places}
        )
    if value >= Decimal("1e14"):
        raise ValidationError(_("This figure is too large; check the unit (%(unit)s).") % {"unit": indicator.unit})
    return value


def _moved_too_far(value: Decimal, before: Decimal | None, limit: Decimal) -> bool:
    if before is None:
        return False
    if before == 0:
        return value != 0
    return abs(value - before) / before * 100 > limit


@transaction.atomic
def filing_save(*, filing: Filing, entries: dict[int, tuple], user, submit: bool = False) -> Filing:
    """Save the company's values (``entries``: indicator pk → (value, explanation)); with
    ``submit``, check that every required figure is there and submit it, which locks it. Each
    problem is reported on its indicator (``value-<pk>`` / ``explanation-<pk>``); nothing is saved
    when there is one."""
    filing = Filing.objects.select_for_update().select_related("period").get(pk=filing.pk)
    _locked_check(filing)
    asked = list(PeriodIndicator.objects.filter(period=filing.period).select_related("indicator"))
    comparisons = comparison_values(filing=filing)
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, tuple[Decimal | None, str]] = {}
    for item in asked:
        indicator = item.indicator
        raw, explanation = entries.get(indicator.pk, (None, ""))
        explanation = (explanation or "").strip()
        try:
            value = _quantized(indicator, raw)
        except ValidationError as error:
            errors[f"value-{indicator.pk}"] = error.messages
            continue
        if submit and value is None and item.required:
            errors[f"value-{indicator.pk}"] = [_("Required.")]
        if value is not None and indicator.change_limit is not None and not explanation:
            previous, last_year = comparisons.get(indicator.code, (None, None))
            if _moved_too_far(value, previous, indicator.change_limit) or _moved_too_far(
                value, last_year, indicator.change_limit
            ):
                errors[f"explanation-{indicator.pk}"] = [CHANGE_NEEDS_EXPLANATION % {"limit": indicator.change_limit}]
        cleaned[indicator.pk] = (value, explanation)
    if errors:
        raise ValidationError(errors)
    for indicator_pk, (value, explanation) in cleaned.items():
        FilingValue.objects.update_or_create(
            filing=filing, indicator_id=indicator_pk, defaults={"value": value, "explanation": explanation}
        )
    if submit:
        now = timezone.now()
        filing.status, filing.submitted_at, filing.submitted_on = Filing.Status.SUBMITTED, now, timezone.localdate(now)
        filing.submitted_by = user
        filing.save(update_fields=["status", "submitted_at", "submitted_on", "submitted_by"])
        notify(
            event=Event.FILING_SUBMITTED,
            context={"filing": filing},
            staff_link=reverse("admin:filings_filing_change", args=[filing.pk]),
            actor=user,
        )
    return filing


@transaction.atomic
def evidence_add(*, filing: Filing, upload, description: str, user) -> FilingEvidence:
    filing = Filing.objects.select_for_update().select_related("period").get(pk=filing.pk)
    _locked_check(filing)
    evidence = FilingEvidence(filing=filing, file=upload, description=description.strip(), uploaded_by=user)
    evidence.full_clean()
    evidence.save()
    return evidence


def _reviewed(filing: Filing, status: str, user, comment: str) -> Filing:
    filing = Filing.objects.select_for_update().select_related("period", "company").get(pk=filing.pk)
    if filing.status != Filing.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted filing can be accepted or returned."))
    filing.status, filing.reviewed_at, filing.reviewed_by = status, timezone.now(), user
    filing.review_comment = comment.strip()
    filing.full_clean()
    filing.save()
    notify(
        event=Event.FILING_REVIEWED,
        context={"filing": filing},
        users=_filers([filing.company_id]).get(filing.company_id, []),
        link=reverse("portal:filing", args=[filing.pk]),
        staff=False,
    )
    return filing


@transaction.atomic
def filing_accept(*, filing: Filing, user, comment: str = "") -> Filing:
    """Accept the figures: they count from now on (cluster report, dashboard, company profile), and
    the company's incentives check their conditions against them."""
    filing = _reviewed(filing, Filing.Status.ACCEPTED, user, comment)
    filing_accepted.send(sender=Filing, filing=filing)
    return filing


@transaction.atomic
def filing_return(*, filing: Filing, user, comment: str) -> Filing:
    """Send the filing back to the company to correct; the comment says what."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say what to correct when returning a filing.")})
    return _reviewed(filing, Filing.Status.RETURNED, user, comment)


@transaction.atomic
def filing_exempt(*, filing: Filing, reason: str) -> Filing:
    filing = Filing.objects.select_for_update().get(pk=filing.pk)
    if filing.status in (Filing.Status.SUBMITTED, Filing.Status.ACCEPTED):
        raise ValidationError(_("A filed filing cannot be made exempt."))
    filing.status, filing.exempt_reason = Filing.Status.EXEMPT, reason.strip()
    filing.full_clean()
    filing.save(update_fields=["status", "exempt_reason"])
    return filing


def filings_remind(*, on: datetime.date) -> int:
    """Remind companies whose filing is outstanding: 7, 3 and 1 days before the deadline, then the
    day after it and weekly while it stays late. Once a day at most per filing (the job may run
    again). Returns how many filings were reminded."""
    due, late = [], []
    outstanding = (
        Filing.objects.outstanding()
        .filter(period__status=ReportingPeriod.Status.OPEN)
        .exclude(last_reminded_on=on)
        .select_related("period", "company")
    )
    for filing in outstanding:
        days_left = (filing.period.deadline - on).days
        if days_left in REMIND_DAYS_BEFORE:
            due.append(filing)
        elif days_left < 0 and (-days_left - 1) % REMIND_LATE_EVERY == 0:
            late.append(filing)
    filers = _filers({filing.company_id for filing in due + late})
    for event, filings in ((Event.FILING_DUE, due), (Event.FILING_LATE, late)):
        if filings:
            notify_each(
                event=event,
                news=[
                    News(
                        context={"filing": filing, "days": abs((filing.period.deadline - on).days)},
                        users=tuple(filers.get(filing.company_id, [])),
                        link=reverse("portal:filing", args=[filing.pk]),
                    )
                    for filing in filings
                ],
                staff=False,
            )
    reminded = [filing.pk for filing in due + late]
    Filing.objects.filter(pk__in=reminded).update(last_reminded_on=on)
    return len(reminded)
