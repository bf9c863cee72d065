"""Notifications through a real Celery worker and Redis: the request returns once the deliveries
are queued, the worker sends them, and a robot that keeps failing holds up no other delivery."""

import json

import pytest
from celery import current_app

from notifications.models import Delivery, Notification, RobotRoute, StaffDuty
from tests.conftest import requires_postgres, requires_redis, wait_for
from tests.notify_servers import ProviderServer

from .test_notifications import request_booking


@requires_postgres
@requires_redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_a_booking_request_to_the_robots_and_a_failing_one_delays_nothing(
    request, world, operations_user, monkeypatch, settings
):
    with ProviderServer() as providers:
        settings.PARKOPS_ROBOTS = providers.robots()
        monkeypatch.setenv("PARKOPS_ROBOTS", json.dumps(providers.robots()))  # for the worker process
        queue = request.getfixturevalue("celery_worker_queue")
        monkeypatch.setattr(
            "notifications.services.job_queue",
            lambda name, *args: current_app.tasks[name].apply_async(args, queue=queue),
        )
        # a transactional test starts from an emptied database: put the default duty back
        StaffDuty.objects.get_or_create(group=operations_user.groups.get(), event="booking_requested")
        RobotRoute.objects.create(robot="ops-wecom", event="booking_requested")
        RobotRoute.objects.create(robot="finance-dingtalk", event="booking_requested")
        providers.fail_next["wecom"] = 100  # WeCom answers 503 to everything

        booking = request_booking(world, title="年度发布会")
        # the request returned with the deliveries queued, not sent
        assert set(Delivery.objects.values_list("status", flat=True)) <= {"queued", "sending", "sent"}
        dingtalk = wait_for(
            lambda: Delivery.objects.filter(robot="finance-dingtalk", status="sent").first(),
            timeout=60,
            what="the worker to send the DingTalk message",
        )
        wecom = wait_for(
            lambda: Delivery.objects.filter(robot="ops-wecom", attempts=1).first(),
            timeout=60,
            what="the worker to try WeCom once",
        )
        assert "年度发布会" in providers.received["dingtalk"][0]["markdown"]["text"]
        assert dingtalk.detail == {"robot_kind": "dingtalk"}
        assert (wecom.status, wecom.last_error[:8]) == ("queued", "HTTP 503")
        assert wecom.next_attempt_at > dingtalk.sent_at  # waits for its backoff; DingTalk did not wait for it
        [note] = Notification.objects.filter(recipient=operations_user)
        assert note.link == f"/admin/events/booking/{booking.pk}/change/"
