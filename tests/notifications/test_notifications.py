"""Notifications end to end: the inbox and bell, email through a real SMTP exchange, SMS and the
three group robots through loopback servers that check each provider's format and signature,
retries with backoff, rate limits, preferences, the log and its pruning."""

import datetime
from email.header import decode_header, make_header

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.models import Booking
from events.services import booking_approve, booking_reject, booking_request
from notifications.channels import sms_segments
from notifications.models import Contact, Delivery, Notification, RobotRoute
from notifications.services import deliveries_prune, deliveries_send_due, notify
from tests.conftest import at
from tests.notify_servers import SMS_SIGN, SMS_TEMPLATE, ProviderServer
from tests.smtp_server import SMTPServer

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def run_after_commit(monkeypatch):
    """The test's transaction never commits: run what notify queues for after commit at once."""
    from notifications import services

    monkeypatch.setattr(services.transaction, "on_commit", lambda callback, *args, **kwargs: callback())


@pytest.fixture
def providers(settings):
    with ProviderServer() as server:
        settings.PARKOPS_ROBOTS = server.robots()
        settings.PARKOPS_SMS = server.sms()
        yield server


@pytest.fixture
def smtp(settings):
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        yield server


def request_booking(world, title="路演", day=10):
    return booking_request(
        booking=Booking(
            hall=world["hall"],
            company=world["a"]["company"],
            title=title,
            starts_at=at(D(2026, 12, day), 14),
            ends_at=at(D(2026, 12, day), 16),
            attendees=30,
            requested_by=world["a"]["user"],
        )
    )


def later(monkeypatch, minutes: float):
    moment = timezone.now() + datetime.timedelta(minutes=minutes)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def test_a_booking_filed_in_the_portal_reaches_the_operations_robot_and_the_admin_inbox(
    world, providers, operations_user, client
):
    RobotRoute.objects.create(robot="ops-wecom", event="booking_requested")
    client.force_login(world["a"]["user"])
    form = {"day": "2026-12-10", "starts": "14:00", "ends": "16:00", "title": "新品发布", "attendees": "80"}
    client.post(reverse("portal:hall", args=[world["hall"].pk]), {**form, "layout": "theatre", "confirm": "1"})
    booking = Booking.objects.get(title="新品发布")

    [robot] = providers.received["wecom"]
    assert robot["msgtype"] == "markdown"
    assert (
        "新品发布" in robot["markdown"]["content"]
        and f"/admin/events/booking/{booking.pk}/change/" in (robot["markdown"]["content"])
    )
    # the operations group is on duty for requests (the default): its member has it in the admin
    [note] = Notification.objects.filter(recipient=operations_user)
    assert note.link == f"/admin/events/booking/{booking.pk}/change/" and note.read_at is None
    client.force_login(operations_user)
    admin_page = client.get(reverse("admin:index")).content.decode()
    assert 'id="bell"' in admin_page and "Notifications <strong>1</strong>" in admin_page
    inbox = client.get(reverse("admin:notifications_notification_changelist")).content.decode()
    assert f"场地预订申请：{world['hall'].name_zh}" in inbox
    opened = client.get(reverse("admin:notifications_notification_open", args=[note.pk]))
    assert opened.status_code == 302 and opened["Location"] == note.link
    note.refresh_from_db()
    assert note.read_at is not None
    # the tenant who asked is not told of their own request; robots and people each got one delivery
    assert not Notification.objects.filter(recipient=world["a"]["user"]).exists()
    assert Delivery.objects.get(robot="ops-wecom").status == "sent"


def test_an_approval_reaches_the_tenant_in_the_portal_and_by_email(world, smtp, operations_user, client):
    world["a"]["user"].email = "li@jia.example"
    world["a"]["user"].save()
    booking = request_booking(world)
    booking_approve(booking=booking, by=operations_user)

    [(sender, recipients, message)] = smtp.messages
    assert recipients == ["li@jia.example"]
    # written in zh-hans, the default for a person who has not chosen a language
    assert str(make_header(decode_header(message["Subject"]))) == f"您预订的{world['hall'].name_zh}已通过审批"
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }
    assert "“路演”，2026-12-10 14:00–16:00；费用 ¥ 4,800.00。" in parts["text/plain"]
    assert f'href="http://127.0.0.1:8000/portal/halls/{world["hall"].pk}/"' in parts["text/html"]

    client.force_login(world["a"]["user"])
    portal = client.get(reverse("portal:dashboard")).content.decode()
    assert "Notifications <strong>1</strong>" in portal
    inbox = client.get(reverse("portal:notifications")).content.decode()
    assert "已通过审批" in inbox
    note = Notification.objects.get(recipient=world["a"]["user"])
    assert (
        client.get(reverse("portal:notification", args=[note.pk]))["Location"] == f"/portal/halls/{world['hall'].pk}/"
    )
    assert "Notifications <strong>" not in client.get(reverse("portal:dashboard")).content.decode()
    # another company's user cannot open it
    client.force_login(world["b"]["user"])
    assert client.get(reverse("portal:notification", args=[note.pk])).status_code == 404


def test_dingtalk_and_feishu_get_signed_requests_and_sms_goes_through_the_approved_template(
    world, providers, operations_user, client
):
    for robot in ("finance-dingtalk", "managers-feishu"):
        RobotRoute.objects.create(robot=robot, event="booking_rejected")
    RobotRoute.objects.create(robot="ops-wecom", event="booking_approved")
    user = world["a"]["user"]
    client.force_login(user)
    boxes = {"booking_approved-in_app": "on", "booking_approved-sms": "on", "booking_rejected-in_app": "on"}
    saved = client.post(
        reverse("portal:notification_settings"), {"mobile": "13812345678", "language": "zh-hans", **boxes}
    )
    assert saved.status_code == 302

    booking_approve(booking=request_booking(world), by=operations_user)
    [sms] = providers.received["sms"]
    assert (sms["PhoneNumbers"], sms["SignName"], sms["TemplateCode"]) == ("13812345678", SMS_SIGN, SMS_TEMPLATE)
    title = sms["TemplateParam"]["title"]
    assert title == f"您预订的{world['hall'].name_zh}已通过审批"  # in the language the tenant chose
    delivery = Delivery.objects.get(channel="sms")
    # 【岭南数创】 (6) + the template's text with the title: one message up to 70 characters, else 67 a part
    text = f"【{SMS_SIGN}】您的预订已通过：{title}，详情请登录租户门户查看。"
    assert delivery.detail["characters"] == len(text) and delivery.detail["segments"] == sms_segments(text)
    assert sms_segments("字" * 70) == 1 and sms_segments("字" * 71) == 2 and sms_segments("字" * 135) == 3
    assert not Delivery.objects.filter(channel="email").exists()  # email unticked for approvals

    booking_reject(booking=request_booking(world, title="二次路演", day=11), by=operations_user, reason="场地维护")
    [dingtalk] = providers.received["dingtalk"]
    [feishu] = providers.received["feishu"]
    assert dingtalk["markdown"]["title"] == f"您预订的{world['hall'].name_zh}未获通过"  # robots speak zh-hans
    assert "场地维护" in dingtalk["markdown"]["text"] and "场地维护" in feishu["content"]["text"]
    assert not providers.refused  # every request was well formed and correctly signed


def test_a_channel_that_answers_errors_is_retried_with_backoff_and_holds_nothing_else(
    world, providers, operations_user, monkeypatch
):
    RobotRoute.objects.create(robot="ops-wecom", event="request_filed")
    RobotRoute.objects.create(robot="finance-dingtalk", event="request_filed")
    providers.fail_next["wecom"] = 10
    notify(event="request_filed", context={"request": world["a"]["service_request"]}, staff_link="/admin/")

    wecom = Delivery.objects.get(robot="ops-wecom")
    assert (wecom.status, wecom.attempts) == ("queued", 1) and wecom.last_error.startswith("HTTP 503")
    assert Delivery.objects.get(robot="finance-dingtalk").status == "sent"
    assert len(providers.received["dingtalk"]) == 1
    waited = [wecom.next_attempt_at - timezone.now()]
    for attempt in range(2, 6):
        later(monkeypatch, minutes=sum(w.total_seconds() for w in waited) / 60 + 0.5)
        assert deliveries_send_due() == 1
        wecom.refresh_from_db()
        assert wecom.attempts == attempt
        if attempt < 5:
            waited.append(wecom.next_attempt_at - timezone.now())
    # 1, 5, 30 and 120 minutes between the five attempts, then it is given up and says why
    assert [round(w.total_seconds() / 60) for w in waited] == [1, 5, 30, 120]
    assert (wecom.status, wecom.last_error[:8]) == ("failed", "HTTP 503")
    later(monkeypatch, minutes=24 * 60)
    assert deliveries_send_due() == 0


def test_robots_are_sent_no_more_than_their_limit_a_minute_and_a_providers_limit_answer_waits(
    world, providers, operations_user, monkeypatch
):
    RobotRoute.objects.create(robot="ops-wecom", event="reading_flagged")
    for _n in range(25):
        notify(event="charge_disputed", context={"dispute": None}, staff=False)  # not routed: nothing
        notify(event="reading_flagged", context={"reading": None}, staff=False)
    assert len(providers.received["wecom"]) == 20 and not providers.refused["wecom"]
    waiting = Delivery.objects.filter(status="queued")
    assert waiting.count() == 5 and {d.last_error for d in waiting} == {"20 messages a minute reached"}
    assert {d.attempts for d in waiting} == {0}  # a limit is no failure
    providers.limits["wecom"] = 25  # the test's minute passes on ParkOps' clock only, not the server's
    later(monkeypatch, minutes=1)
    assert deliveries_send_due() == 5
    assert len(providers.received["wecom"]) == 25

    # the provider's own limit answer (45009) puts the message back for the next minute, uncounted
    providers.limits["wecom"] = 0
    notify(event="reading_flagged", context={"reading": None}, staff=False)
    limited = Delivery.objects.filter(status="queued").get()
    assert limited.last_error.startswith("45009") and limited.attempts == 0
    assert 0 < (limited.next_attempt_at - timezone.now()).total_seconds() <= 60


def test_sms_without_credentials_is_off_and_says_so(world, operations_user, settings, staff_client):
    settings.PARKOPS_SMS = {**settings.PARKOPS_SMS, "access_key_id": "", "access_key_secret": "", "sign_name": ""}
    Contact.objects.create(user=world["a"]["user"], mobile="13812345678")
    from notifications.services import preferences_save

    preferences_save(user=world["a"]["user"], chosen={"booking_approved": {"in_app", "sms"}})
    booking_approve(booking=request_booking(world), by=operations_user)
    sms = Delivery.objects.get(channel="sms")
    assert sms.status == "off" and "no credentials" in sms.last_error
    page = staff_client.get(reverse("admin:notifications_delivery_channels")).content.decode()
    assert "off: PARKOPS_SMS_ACCESS_KEY_ID" in page


def test_sms_needs_a_mobile_number_and_a_refused_form_changes_nothing(world, client):
    client.force_login(world["a"]["user"])
    refused = client.post(
        reverse("portal:notification_settings"), {"mobile": "", "language": "en", "bill_issued-sms": "on"}
    )
    assert "Give a mobile number to receive SMS." in refused.content.decode()
    bad = client.post(reverse("portal:notification_settings"), {"mobile": "12345", "language": "en"})
    assert "11 digits starting with 13 to 19" in bad.content.decode()
    assert not Contact.objects.exists() or Contact.objects.get().mobile == ""
    from notifications.models import Preference

    assert not Preference.objects.exists()


def test_security_messages_still_go_by_email_whatever_was_chosen(world, client):
    from notifications.services import preferences_save

    world["a"]["user"].email = "li@jia.example"
    world["a"]["user"].save()
    preferences_save(user=world["a"]["user"], chosen={event: set() for event in ("bill_issued", "booking_approved")})
    client.post(reverse("portal:password_reset"), {"email": "li@jia.example"})
    assert [m.to for m in mail.outbox] == [["li@jia.example"]]


def test_staff_resend_a_failed_delivery_and_old_log_rows_are_pruned(world, providers, staff_client, monkeypatch):
    RobotRoute.objects.create(robot="ops-wecom", event="request_filed")
    providers.fail_next["wecom"] = 1
    notify(event="request_filed", context={"request": world["a"]["service_request"]}, staff=False)
    failed = Delivery.objects.get()
    Delivery.objects.filter(pk=failed.pk).update(status="failed")
    staff_client.post(
        reverse("admin:notifications_delivery_changelist"), {"action": "resend", "_selected_action": [failed.pk]}
    )
    again = Delivery.objects.exclude(pk=failed.pk).get()
    assert again.status == "sent" and len(providers.received["wecom"]) == 1
    later(monkeypatch, minutes=181 * 24 * 60)
    Delivery.objects.filter(pk=again.pk).update(status="queued")
    assert deliveries_prune() == 1  # the failed row; one still queued is kept
    assert list(Delivery.objects.values_list("pk", flat=True)) == [again.pk]


def test_the_api_lists_a_persons_own_notifications_and_marks_them_read(world, api, operations_user):
    booking = request_booking(world)
    booking_approve(booking=booking, by=operations_user)
    booking_reject(booking=request_booking(world, title="再次", day=12), by=operations_user, reason="维护")
    api.force_authenticate(world["a"]["user"])
    url = reverse("api:notification-list")
    assert [n["event"] for n in api.get(url).json()["results"]] == ["booking_rejected", "booking_approved"]
    assert api.get(reverse("api:delivery-list")).json()["results"] == []  # the log is the staff's
    first = api.get(url, {"unread": "true"}).json()["results"][-1]["id"]
    assert api.post(reverse("api:notification-read"), {"ids": [first]}, format="json").json() == {"read": 1}
    assert len(api.get(url, {"unread": "true"}).json()["results"]) == 1
    api.force_authenticate(world["b"]["user"])
    assert (
        api.get(url).json()["results"] == []
        and api.get(reverse("api:notification-detail", args=[first])).status_code == 404
    )
    assert api.post(reverse("api:notification-read"), {"ids": [first]}, format="json").json() == {"read": 0}


def test_staff_choose_their_channels_in_the_admin(world, client, operations_user):
    client.force_login(operations_user)
    page = client.get(reverse("admin:notifications_notification_settings")).content.decode()
    assert 'name="booking_requested-in_app" aria-label="hall booking requested · in_app" checked' in page
    client.post(
        reverse("admin:notifications_notification_settings"),
        {"mobile": "", "language": "en", "booking_requested-email": "on"},
    )
    operations_user.email = "ops@parkops.example"
    operations_user.save()
    request_booking(world)
    note = Notification.objects.get(recipient=operations_user)
    assert not note.in_inbox and note.subject.startswith("Hall booking requested")  # English, by email only
    assert [m.to for m in mail.outbox] == [["ops@parkops.example"]]


def test_text_is_not_html_escaped_but_the_email_html_is(world, smtp, operations_user):
    world["a"]["user"].email = "li@jia.example"
    world["a"]["user"].save()
    booking = request_booking(world, title="R&D <路演> 'Q4'")
    booking_approve(booking=booking, by=operations_user)
    note = Notification.objects.get(recipient=world["a"]["user"])
    assert "“R&D <路演> 'Q4'”" in note.body
    [(_sender, _to, message)] = smtp.messages
    parts = {p.get_content_type(): p.get_payload(decode=True).decode() for p in message.walk() if not p.is_multipart()}
    assert "“R&D <路演> 'Q4'”" in parts["text/plain"]
    assert "R&amp;D &lt;路演&gt; &#x27;Q4&#x27;" in parts["text/html"]


def test_history_loaded_quietly_reaches_the_inbox_but_sends_nothing(world, providers, operations_user):
    from notifications.services import quietly

    RobotRoute.objects.create(robot="ops-wecom", event="booking_approved")
    world["a"]["user"].email = "li@jia.example"
    world["a"]["user"].save()
    with quietly():
        booking_approve(booking=request_booking(world), by=operations_user)
    assert Notification.objects.filter(recipient=world["a"]["user"]).count() == 1
    assert not Delivery.objects.exists() and not providers.received["wecom"] and not mail.outbox
