"""Collections (催缴): reminders by the schedule, once per step and bill, paused per company, sent by
email through a real SMTP exchange with the statement of account attached."""

import datetime
import email.header
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from billing.models import Bill, ReminderSent, ReminderStep
from billing.services import (
    collections_pause,
    collections_resume,
    invoicing_profile_save,
    reminder_step_save,
    reminders_due,
    reminders_send,
)
from tests.smtp_server import SMTPServer

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def issued_bills(data):
    january, february = Bill.objects.filter(lease=data["lease"]).exclude(status="scheduled").order_by("due_on")
    return january, february


def give_email(company, address="finance@example.cn"):
    invoicing_profile_save(
        company=company,
        title=company.name,
        taxpayer_number=company.credit_code,
        address_phone="",
        bank_account="",
        fapiao_type="ordinary",
        email=address,
    )


def test_each_bill_gets_the_latest_step_it_reached_once(world, today):
    a = world["a"]
    give_email(a["company"])
    january, february = issued_bills(a)
    assert february.due_on - january.due_on >= datetime.timedelta(days=28)
    on = february.due_on - 3 * DAY  # February three days before its due date; January 7+ days overdue
    due = {reminder.company: reminder for reminder in reminders_due(on=on)}[a["company"]]
    assert [(bill, step.days_from_due) for bill, step in due.bills] == [(january, 7), (february, -3)]
    assert due.step.title == "逾期催缴通知" and due.outstanding == Decimal("19900.00")

    logged = [row for row in reminders_send(on=on) if row.company == a["company"]]
    assert [(row.bill, row.days_from_due, row.status) for row in logged] == [
        (january, 7, "sent"),
        (february, -3, "sent"),
    ]
    [message] = [m for m in mail.outbox if "finance@example.cn" in m.to]
    assert message.subject == f"逾期催缴通知：{a['company'].name} 欠款 ¥19,900.00"
    assert january.number in message.body and "9,900.00" in message.body
    [(name, content, kind)] = message.attachments
    assert kind == "application/pdf" and content.startswith(b"%PDF-") and name.endswith(f"{on:%Y%m%d}.pdf")

    assert [row for row in reminders_send(on=on) if row.company == a["company"]] == []  # once
    # On February's due date January is 31 days overdue: each bill reached a new step.
    [due] = [r for r in reminders_due(on=february.due_on) if r.company == a["company"]]
    assert [(bill, step.days_from_due) for bill, step in due.bills] == [(january, 30), (february, 0)]
    reminders_send(on=february.due_on)
    assert not [r for r in reminders_due(on=february.due_on + DAY) if r.company == a["company"]]


def test_a_paused_company_gets_nothing_until_resumed(world, today):
    a, b = world["a"], world["b"]
    assert {r.company for r in reminders_due(on=today)} == {a["company"], b["company"]}
    collections_pause(company=b["company"], reason="争议账单协商中", until=today + 10 * DAY)
    assert {r.company for r in reminders_due(on=today)} == {a["company"]}
    assert {r.company for r in reminders_due(on=today + 11 * DAY)} == {a["company"], b["company"]}
    collections_pause(company=b["company"], reason="分期付款协议")
    assert b["company"] not in {r.company for r in reminders_due(on=today + 11 * DAY)}
    collections_resume(company=b["company"])
    assert b["company"] in {r.company for r in reminders_due(on=today)}


def test_a_company_with_its_own_schedule_follows_only_that(world, today):
    a = world["a"]
    reminder_step_save(step=ReminderStep(company=a["company"], days_from_due=340, title="最后通牒", message="..."))
    assert a["company"] not in {r.company for r in reminders_due(on=today)}  # none of its steps reached yet
    january, _february = issued_bills(a)
    on = january.due_on + 340 * DAY
    [due] = [r for r in reminders_due(on=on) if r.company == a["company"]]
    assert due.step.title == "最后通牒"


def test_reminders_go_through_a_real_smtp_exchange_and_a_refusal_is_retried(world, today, settings):
    a = world["a"]
    give_email(a["company"], "AR@Example.cn")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_USE_TLS = "127.0.0.1", False
    with SMTPServer() as server:
        settings.EMAIL_PORT = server.port
        server.refuse_data_with = "451 4.3.0 mailbox busy, try again later"
        failed = reminders_send(on=today)
        a_rows = [row for row in failed if row.company == a["company"]]
        assert {row.status for row in a_rows} == {"failed"} and "451" in a_rows[0].error
        b_rows = [row for row in failed if row.company == world["b"]["company"]]
        assert b_rows[0].error == "The company has no email address to send to."

        server.refuse_data_with = ""
        sent = [row for row in reminders_send(on=today) if row.company == a["company"]]
        assert {row.status for row in sent} == {"sent"}
        [(sender, recipients, message)] = server.messages
        assert recipients == ["ar@example.cn"]
        parts = {part.get_content_type(): part for part in message.walk()}
        assert parts["application/pdf"].get_payload(decode=True).startswith(b"%PDF-")
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
        assert subject.startswith("逾期催缴函：")
    assert ReminderSent.objects.filter(company=a["company"], status="sent").count() == 2


def test_staff_see_who_is_due_today_and_send_from_the_admin(staff_client, world, today):
    a = world["a"]
    give_email(a["company"])
    page = staff_client.get(reverse("admin:billing_remindersent_due")).content.decode()
    assert a["company"].name in page and world["b"]["company"].name in page
    staff_client.post(reverse("admin:billing_remindersent_due"), {"send": "1"})
    assert ReminderSent.objects.filter(company=a["company"], status="sent").count() == 2
    page = staff_client.get(reverse("admin:billing_remindersent_due")).content.decode()
    assert a["company"].name not in page


def test_the_api_pauses_lists_due_reminders_and_scopes_the_log(api, world, today, operations_user):
    a, b = world["a"], world["b"]
    give_email(a["company"])
    api.force_authenticate(operations_user)
    due = api.get(reverse("api:reminder-sent-due")).json()
    assert {row["company"] for row in due} == {a["company"].pk, b["company"].pk}
    assert {row["title"] for row in due} == {"逾期催缴函"}
    holds = reverse("api:collections-hold-list")
    paused = api.post(holds, {"company": b["company"].pk, "reason": "协商"}, format="json")
    again = api.post(holds, {"company": b["company"].pk, "reason": "分期"}, format="json")
    assert (paused.status_code, again.status_code) == (201, 201)
    assert [row["company"] for row in api.get(reverse("api:reminder-sent-due")).json()] == [a["company"].pk]
    bad = api.post(reverse("api:reminder-step-list"), {"days_from_due": 7, "title": "x", "message": "y"}, format="json")
    assert bad.status_code == 400 and "already has a reminder on that day" in str(bad.json())
    reminders_send(on=today)
    api.force_authenticate(b["user"])
    assert api.get(reverse("api:reminder-sent-list")).json()["results"] == []
    assert api.get(reverse("api:reminder-sent-due")).status_code == 403
    assert api.get(reverse("api:collections-hold-list")).json()["results"] == []
    api.force_authenticate(a["user"])
    assert len(api.get(reverse("api:reminder-sent-list")).json()["results"]) == 2
    api.force_authenticate(operations_user)
    hold = api.get(reverse("api:collections-hold-list")).json()["results"][0]
    assert api.delete(reverse("api:collections-hold-detail", args=[hold["id"]])).status_code == 204
    assert b["company"].pk in [row["company"] for row in api.get(reverse("api:reminder-sent-due")).json()]
