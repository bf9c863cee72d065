"""Staff remind the companies of chosen bills at once, outside the reminder schedule."""

import pytest

pytestmark = pytest.mark.django_db


def test_staff_remind_the_companies_of_chosen_bills_now_once_a_day(client, world, operations_user):
    from django.core import mail

    from billing.models import Bill, ReminderSent

    company = world["a"]["company"]
    company.contacts.update(email="finance@a.example")
    open_bills = list(Bill.objects.open().filter(company=company))
    assert open_bills
    client.force_login(operations_user)
    chosen = {"action": "remind_now", "index": "0", "_selected_action": [bill.pk for bill in open_bills]}
    client.post("/admin/billing/bill/", chosen)
    logged = ReminderSent.objects.filter(company=company, status="sent")
    assert logged.count() == len(open_bills) and mail.outbox[-1].to == ["finance@a.example"]
    assert mail.outbox[-1].attachments[0][0].startswith("statement-")  # the statement of account goes along
    client.post("/admin/billing/bill/", chosen)
    assert logged.count() == len(open_bills) and len(mail.outbox) == 1  # not twice on one day
