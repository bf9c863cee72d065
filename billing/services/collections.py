"""Collections (催缴): each open bill earns the reminders of its company's schedule as its due date
nears and passes; a company due any gets one message a day listing its bills, with its statement of
account attached. Each step is sent once per bill; a failed delivery is logged and tried again at
the next run. Email is the channel until the notification service takes over the delivery."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from billing.documents import statement_pdf
from billing.models import Bill, CollectionsHold, InvoicingProfile, ReminderSent, ReminderStep
from billing.selectors import statement_of_account
from notifications.events import Event
from tenants.models import CompanyContact, TenantCompany, TenantMembership

from .news import bills_tell


@dataclass
class DueReminder:
    """A company due reminders today: each of its bills with the step it reached."""

    company: TenantCompany
    bills: list[tuple[Bill, ReminderStep]] = field(default_factory=list)

    @property
    def step(self) -> ReminderStep:
        """The sternest step among its bills names the message."""
        return max((step for _bill, step in self.bills), key=lambda step: step.days_from_due)

    @property
    def outstanding(self):
        return sum(bill.outstanding_amount for bill, _step in self.bills)


def _paused_company_ids(on: datetime.date) -> set[int]:
    return set(
        CollectionsHold.objects.filter(Q(until__isnull=True) | Q(until__gte=on)).values_list("company_id", flat=True)
    )


def reminders_due(*, on: datetime.date) -> list[DueReminder]:
    """Who is due a reminder on ``on``: for each open bill of a company not paused, the latest step
    of its schedule that the day has reached, unless already sent. Four queries."""
    default_steps, own_steps = [], defaultdict(list)
    for step in ReminderStep.objects.order_by("days_from_due"):
        (own_steps[step.company_id] if step.company_id else default_steps).append(step)
    earliest = min((step.days_from_due for step in ReminderStep.objects.all()), default=0)
    bills = (
        Bill.objects.open()
        .filter(resident_name="", due_on__lte=on - datetime.timedelta(days=earliest))
        .exclude(company_id__in=_paused_company_ids(on))
        .select_related("company")
        .order_by("company__name", "due_on", "pk")
    )
    bills = list(bills)
    sent = set(
        ReminderSent.objects.filter(bill__in=bills, status=ReminderSent.Status.SENT).values_list(
            "bill_id", "days_from_due"
        )
    )
    due: dict[int, DueReminder] = {}
    for bill in bills:
        days = (on - bill.due_on).days
        reached = [step for step in own_steps.get(bill.company_id, default_steps) if step.days_from_due <= days]
        if not reached or (bill.pk, reached[-1].days_from_due) in sent:
            continue
        due.setdefault(bill.company_id, DueReminder(company=bill.company)).bills.append((bill, reached[-1]))
    return list(due.values())


def reminder_recipients(company: TenantCompany) -> list[str]:
    """Where a company's reminders go: the fapiao email of its invoicing details, its contacts' and
    its portal admins' addresses."""
    addresses = list(InvoicingProfile.objects.filter(company=company).values_list("email", flat=True))
    addresses += CompanyContact.objects.filter(company=company).exclude(email="").values_list("email", flat=True)
    addresses += (
        TenantMembership.objects.filter(company=company, role=TenantMembership.Role.ADMIN)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return list(dict.fromkeys(address.strip().lower() for address in addresses if address.strip()))


def _message(reminder: DueReminder, on: datetime.date) -> tuple[str, str]:
    step = reminder.step
    subject = _("%(title)s: %(company)s owes %(amount)s") % {
        "title": step.title,
        "company": reminder.company.name,
        "amount": f"¥{reminder.outstanding:,.2f}",
    }
    lines = [step.message, ""]
    for bill, _step in reminder.bills:
        late = bill.days_overdue(on=on)
        lines.append(
            _("%(number)s, %(start)s to %(end)s, due %(due)s: %(amount)s open")
            % {
                "number": bill.number,
                "start": bill.period_start.isoformat(),
                "end": bill.period_end.isoformat(),
                "due": bill.due_on.isoformat(),
                "amount": f"¥{bill.outstanding_amount:,.2f}",
            }
            + (_(" (%(days)d days overdue)") % {"days": late} if late else "")
        )
    lines += [
        "",
        _("In all: %(amount)s.") % {"amount": f"¥{reminder.outstanding:,.2f}"},
        _("Please pay to %(name)s, %(bank)s, account %(account)s, writing the bill number in the remark.")
        % {
            "name": settings.PARKOPS_PAYEE_NAME or settings.PARKOPS_OPERATOR_NAME,
            "bank": settings.PARKOPS_PAYEE_BANK,
            "account": settings.PARKOPS_PAYEE_ACCOUNT,
        },
        _("Your statement of account is attached. If you have paid already, please ignore this reminder."),
    ]
    return subject, "\n".join(lines)


@transaction.atomic
def reminder_send(*, reminder: DueReminder, on: datetime.date) -> list[ReminderSent]:
    """Send one company's reminder and log it on each bill; the company's row is locked and what was
    sent checked again first, so two runs at once send it once."""
    TenantCompany.objects.select_for_update().get(pk=reminder.company.pk)
    already = set(
        ReminderSent.objects.filter(
            bill__in=[bill for bill, _step in reminder.bills], status=ReminderSent.Status.SENT
        ).values_list("bill_id", "days_from_due")
    )
    reminder.bills = [(bill, step) for bill, step in reminder.bills if (bill.pk, step.days_from_due) not in already]
    if not reminder.bills:
        return []
    recipients = reminder_recipients(reminder.company)
    status, error = ReminderSent.Status.SENT, ""
    if not recipients:
        status, error = ReminderSent.Status.FAILED, _("The company has no email address to send to.")
    else:
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = _message(reminder, on)
            first = min(bill.issued_on for bill, _step in reminder.bills)
            statement = statement_of_account(company=reminder.company, first=first, last=on)
            attachment = statement_pdf(statement=statement, language=settings.LANGUAGE_CODE)
        message = EmailMessage(subject=subject, body=body, to=recipients)
        message.attach(f"statement-{reminder.company.credit_code}-{on:%Y%m%d}.pdf", attachment, "application/pdf")
        try:
            message.send()
        except Exception as failure:  # any delivery failure is logged and tried again at the next run
            status, error = ReminderSent.Status.FAILED, str(failure)[:300] or failure.__class__.__name__
    # The bell (and SMS for who chose it) for each bill; the statement went by email.
    bills_tell(Event.REMINDER_DUE, [(bill, {}) for bill, _step in reminder.bills])
    return ReminderSent.objects.bulk_create(
        ReminderSent(
            company=reminder.company,
            bill=bill,
            days_from_due=step.days_from_due,
            title=step.title,
            sent_on=on,
            recipients=", ".join(recipients)[:500],
            outstanding=bill.outstanding_amount,
            status=status,
            error=error,
        )
        for bill, step in reminder.bills
    )


def reminders_send_now(*, bills, on: datetime.date) -> list[ReminderSent]:
    """Staff remind the companies of the chosen open bills today, outside the schedule: one message
    per company listing its chosen bills, logged on each bill as a reminder at its days from the due
    date. A bill already reminded today is not reminded again."""
    step = ReminderStep(
        title=_("Payment reminder"),
        message=_("The following bills are open on your account; please see that they are paid."),
    )
    by_company: dict[int, DueReminder] = {}
    for bill in Bill.objects.open().filter(pk__in=[bill.pk for bill in bills]).select_related("company"):
        reminder = by_company.setdefault(bill.company_id, DueReminder(company=bill.company))
        own = ReminderStep(title=step.title, message=step.message, days_from_due=(on - bill.due_on).days)
        reminder.bills.append((bill, own))
    sent = []
    for reminder in by_company.values():
        sent += reminder_send(reminder=reminder, on=on)
    return sent


def reminders_send(*, on: datetime.date) -> list[ReminderSent]:
    """Send every reminder due on ``on``, each company in a transaction of its own."""
    logged = []
    for reminder in reminders_due(on=on):
        logged += reminder_send(reminder=reminder, on=on)
    return logged


@transaction.atomic
def collections_pause(
    *, company: TenantCompany, reason: str, until: datetime.date | None = None, paused_by=None
) -> CollectionsHold:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the reminders are paused.")})
    hold, _created = CollectionsHold.objects.update_or_create(
        company=company, defaults={"reason": reason, "until": until, "paused_by": paused_by}
    )
    return hold


@transaction.atomic
def collections_resume(*, company: TenantCompany) -> None:
    CollectionsHold.objects.filter(company=company).delete()


@transaction.atomic
def reminder_step_save(*, step: ReminderStep) -> ReminderStep:
    step.full_clean()
    step.save()
    return step
