import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from billing.models import Bill
from tenants.models import CompanyYearFigure, Invitation, Notice, TenantMembership, Visitor
from tenants.services import visitor_check_in, visitor_check_out

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(world["a"]["user"])
    return client


def test_notices_show_on_the_dashboard_for_everyone_or_one_company(admin_client, world):
    now = timezone.now()
    Notice.objects.create(title="停电通知", body="周六 9:00–12:00", published_at=now)
    Notice.objects.create(title="给乙公司", body="x", company=world["b"]["company"], published_at=now)
    Notice.objects.create(title="明天发布", body="x", published_at=now + datetime.timedelta(days=1))
    html = admin_client.get(reverse("portal:dashboard")).content.decode()
    assert "停电通知" in html and "给乙公司" not in html and "明天发布" not in html


def test_yearly_figures_wait_for_review_and_only_then_count(admin_client, world):
    company = world["a"]["company"]
    admin_client.post(
        reverse("portal:profile"),
        {
            "form": "figure",
            "year": "2025",
            "output_value": "1000000",
            "revenue": "",
            "headcount": "40",
            "patents": "2",
            "copyrights": "5",
        },
    )
    figure = CompanyYearFigure.objects.get(company=company, year=2025)
    assert figure.status == "submitted"
    figure.status = "accepted"
    figure.save()
    again = admin_client.post(
        reverse("portal:profile"),
        {"form": "figure", "year": "2025", "output_value": "1", "patents": "0", "copyrights": "0"},
    )
    assert "already accepted" in again.content.decode()
    admin_client.post(reverse("portal:profile"), {"form": "headcount", "headcount": "88"})
    company.refresh_from_db()
    assert company.headcount == 88


def test_a_company_admin_invites_and_removes_a_member(
    admin_client, client, world, django_user_model, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("portal:members"), {"email": "New.Hire@Kugou.example", "role": "member"})
    invitation = Invitation.objects.get()
    assert invitation.email == "new.hire@kugou.example" and invitation.token in mail.outbox[0].body
    admin_client.logout()
    weak = client.post(
        reverse("portal:invitation", args=[invitation.token]), {"username": "newhire", "password": "123"}
    )
    assert weak.status_code == 200 and not django_user_model.objects.filter(username="newhire").exists()
    client.post(
        reverse("portal:invitation", args=[invitation.token]), {"username": "newhire", "password": "Lingnan-2026-ok"}
    )
    member = TenantMembership.objects.get(user__username="newhire")
    assert member.company == world["a"]["company"] and member.role == "member"
    assert client.get(reverse("portal:invitation", args=[invitation.token])).status_code == 404  # used once
    client.force_login(world["a"]["user"])
    client.post(reverse("portal:member_remove", args=[member.pk]))
    assert not TenantMembership.objects.filter(pk=member.pk).exists()
    assert not django_user_model.objects.get(username="newhire").is_active


def test_members_cannot_invite_and_nobody_removes_another_companys_member(client, world, django_user_model):
    member = django_user_model.objects.create_user("plain")
    TenantMembership.objects.create(user=member, company=world["a"]["company"], role="member")
    client.force_login(member)
    assert client.post(reverse("portal:members"), {"email": "x@y.example", "role": "admin"}).status_code == 403
    client.force_login(world["a"]["user"])
    other = TenantMembership.objects.get(user=world["b"]["user"])
    assert client.post(reverse("portal:member_remove", args=[other.pk])).status_code == 404


def test_a_visitor_gets_a_qr_pass_and_the_front_desk_checks_them_in_and_out(
    admin_client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("portal:visitors"),
            {
                "name": "王先生",
                "phone": "13912345678",
                "email": "wang@visitor.example",
                "organisation": "某投资机构",
                "host": "陈总",
                "day": "2026-12-02",
                "arrives": "14:00",
                "leaves": "16:00",
            },
        )
    visitor = Visitor.objects.get()
    message = mail.outbox[-1]
    assert message.to == ["wang@visitor.example"] and "2026-12-02 14:00" in message.body
    name, content, mimetype = message.attachments[0]
    assert mimetype == "image/png" and content.startswith(b"\x89PNG") and str(visitor.pass_code) in name
    visitor_check_in(visitor=visitor)
    visitor = visitor_check_out(visitor=visitor)
    assert visitor.checked_out_at >= visitor.checked_in_at
    log = admin_client.get(reverse("portal:visitors")).content.decode()
    assert "王先生" in log and "13912345678" not in log and "139****5678" in log
    bad = admin_client.post(
        reverse("portal:visitors"),
        {
            "name": "x",
            "phone": "1",
            "email": "x@y.example",
            "host": "h",
            "day": "2026-12-02",
            "arrives": "16:00",
            "leaves": "14:00",
        },
    )
    assert "The visit must end after it starts." in bad.content.decode() and Visitor.objects.count() == 1


def test_the_dashboard_sums_what_is_past_due_and_lists_the_next_bills(admin_client, world):
    today = timezone.localdate()
    open_bills = list(Bill.objects.open().filter(company=world["a"]["company"]).order_by("due_on"))
    past_due = sum(bill.amount - bill.amount_paid for bill in open_bills if bill.due_on < today)
    assert past_due > 0
    html = admin_client.get(reverse("portal:dashboard")).content.decode()
    assert f"Past due: ¥ {past_due:,.2f}" in html
    assert all(bill.number in html for bill in open_bills[:5])


def test_the_dashboard_shows_each_section_of_the_company_and_nothing_of_others(client, world):
    a, b = world["a"], world["b"]
    client.force_login(a["user"])
    html = client.get(reverse("portal:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"<td>{a['lease'].number}</td><td>{a['unit'].code}</td>" in html
    assert f"{world['hall']} · " in html and a["booking"].title in html
    assert f"{a['allocation'].name} · {a['allocation'].bed}" in html
    assert f"#{a['service_request'].pk} " in html
    assert not any(text in html for text in (b["lease"].number, b["booking"].title, b["allocation"].name))
